#pragma once
// A placement: ordered stages, each a contiguous range of chain blocks on one device with a thread count.
// Text form (command line): "pi0:0-11,pi1:12-20", a stage of one block "pi2:7", threads after '@': "pi0:0-11@2".

#include "cost/layer.hpp"
#include "cost/problem.hpp"

#include <string>
#include <vector>

namespace pipesplit::cost {

struct Stage {
  int device                          = 0; // host index
  int first                           = 0; // chain block indices, inclusive
  int last                            = 0;
  int threads                         = 1;
  bool operator==(const Stage&) const = default;
};

struct Placement {
  std::vector<Stage> stages;
  int cuts() const { return static_cast<int>(stages.size()) - 1; }
  bool operator==(const Placement&) const = default;
};

// Parse and validate against the problem; stages without '@' get Problem::default_threads. Throws InputError
// naming `context` (e.g. "--placement").
Placement parse_placement(const std::string& text, const Problem& problem, const std::string& context);

// Check coverage (no gap, overlap or out-of-range block), allowed devices, thread counts, device reuse and the cut
// limit. Throws InputError naming `context`.
void validate_placement(const Placement& placement, const Problem& problem, const std::string& context);

std::string to_string(const Placement& placement, const Platform& platform);

} // namespace pipesplit::cost
