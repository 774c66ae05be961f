#pragma once
// Run a piece of work in a forked child process. SimGrid keeps global state (one engine per process) and reports
// many platform errors by aborting; a child keeps the parent alive, clean and able to say what went wrong.

#include <functional>
#include <string>

namespace pipesplit::sim {

struct ChildResult {
  bool exited_normally = false; // false when killed by a signal (SimGrid's xbt_die aborts)
  int exit_code        = -1;
  std::string payload;     // what the work returned
  std::string diagnostics; // what the child wrote on stderr
};

// `work` runs in the child; its return value travels back as the payload. An exception escaping `work` is written
// to stderr and makes the child exit with code 2.
ChildResult run_in_child(const std::function<std::string()>& work);

// SimGrid's own words from a child's stderr, without log prefixes and backtraces: the lines that say what is wrong.
std::string simgrid_complaint(const std::string& diagnostics);

} // namespace pipesplit::sim
