#pragma once
// Errors caused by what the user gave us (files, flags). The command line prints them as one line and exits 2;
// everything else that throws is a bug in pipesplit and exits 1.

#include <stdexcept>
#include <string>

namespace pipesplit {

class InputError : public std::runtime_error {
public:
  // `where` names the file (and line when the parser knows it), `field` the offending key or flag.
  InputError(const std::string& where, const std::string& field, const std::string& what);
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

} // namespace pipesplit
