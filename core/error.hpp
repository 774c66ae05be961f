#pragma once
// Why a command fails, as types: each failure cause carries the exit status the command line ends with, so that
// every command, child process and sweep worker reports the same case with the same code.
//   0 ok, 1 a bug in pipesplit (any other exception), 2 bad input, 3 a failed simulation or trial, 4 no placement,
//   5 not permitted (the emulated testbed needs root).

#include "core/layer.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace pipesplit::core {

enum class ExitStatus : int { Ok = 0, Bug = 1, BadInput = 2, SimulationFailed = 3, NoPlacement = 4, NotPermitted = 5 };

// The base of the failures the user can act on; anything else that escapes a command is a bug (ExitStatus::Bug).
class Failure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
  virtual ExitStatus status() const = 0;
};

// Errors caused by what the user gave us (files, flags).
class InputError : public Failure {
public:
  // `where` names the file (and line when the parser knows it), `field` the offending key or flag.
  InputError(const std::string& where, const std::string& field, const std::string& what);
  explicit InputError(const std::string& message) : Failure(message) {}
  ExitStatus status() const override { return ExitStatus::BadInput; }
};

// A simulation that did not complete: SimGrid aborted, or the pipeline delivered fewer results than it should.
class SimulationFailure : public Failure {
public:
  using Failure::Failure;
  ExitStatus status() const override { return ExitStatus::SimulationFailed; }
};

// No placement meets the constraints (memory, cut limit).
class NoPlacement : public Failure {
public:
  using Failure::Failure;
  ExitStatus status() const override { return ExitStatus::NoPlacement; }
};

// The system refuses what the command needs (the emulated testbed's namespaces and cgroups without root).
class NotPermitted : public Failure {
public:
  using Failure::Failure;
  ExitStatus status() const override { return ExitStatus::NotPermitted; }
};

// The exit status an exception stands for: its own for a Failure, BadInput for a std::filesystem error (a path the
// user gave that cannot be created, read or written), Bug for anything else.
ExitStatus status_of(const std::exception& error);

// Throw again, in this process, the failure a child process reported with `status` and `message` (child_process
// and sweep workers): the class survives the process boundary. Bug becomes std::runtime_error.
[[noreturn]] void rethrow_as(ExitStatus status, const std::string& message);

// The status a child's exit code stands for; nullopt for a code pipesplit never exits with.
std::optional<ExitStatus> exit_status_from_code(int code);

} // namespace pipesplit::core
