#pragma once
// SimGrid work in a forked child process (core/worker_pool.hpp): SimGrid keeps global state (one engine per
// process) and reports many platform errors by aborting; a child keeps the parent alive, clean and able to say what
// went wrong.

#include "core/worker_pool.hpp"
#include "sim/layer.hpp"

#include <functional>
#include <string>

namespace pipesplit::sim {

struct ChildResult {
  std::string payload; // what the work returned
  WorkerExit exit;     // how the child ended, and what it wrote on stderr
};

using Progress = std::function<void(const std::string& note)>;

// `work` runs in the child; its return value travels back as the payload, and every note it gives `progress` reaches
// `on_progress` in the parent as it happens. A failure escaping `work` makes the child exit with the failure's status
// (core/error.hpp).
ChildResult run_in_child(const std::function<std::string(const Progress& progress)>& work,
                         const Progress& on_progress = {});

// SimGrid's own words from a child's stderr, without log prefixes and backtraces: the lines that say what is wrong.
std::string simgrid_complaint(const std::string& diagnostics);

} // namespace pipesplit::sim
