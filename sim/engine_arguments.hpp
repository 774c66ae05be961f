#pragma once
// The command line every SimGrid engine of pipesplit is built with.

#include "sim/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::sim {

// argv for sg4::Engine: the program name, in the sanitizer build SimGrid's thread contexts (its default
// stack-switching contexts make ASan report false positives), then `extra` (SimGrid options such as --cfg=ITEM:VALUE,
// a later one winning over an earlier one).
class EngineArguments {
public:
  explicit EngineArguments(const std::vector<std::string>& extra = {});
  int* argc() { return &argc_; }
  char** argv() { return pointers_.data(); }

private:
  std::vector<std::string> words_;
  std::vector<char*> pointers_;
  int argc_ = 0;
};

} // namespace pipesplit::sim
