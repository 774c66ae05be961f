#pragma once
// Errors caused by what the user gave us (files, flags). The command line prints them as one line and exits 2;
// a failed simulation exits 3 (below); everything else that throws is a bug in pipesplit and exits 1.

#include <stdexcept>
#include <string>

namespace pipesplit {

class InputError : public std::runtime_error {
public:
  // `where` names the file (and line when the parser knows it), `field` the offending key or flag.
  InputError(const std::string& where, const std::string& field, const std::string& what);
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// A simulation that did not complete: SimGrid aborted, or the pipeline delivered fewer results than it should.
// The command line exits 3.
class SimulationFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace pipesplit
