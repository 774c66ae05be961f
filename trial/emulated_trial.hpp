#pragma once
// A trial on the emulated testbed: builds the testbed for the placement, starts one worker per stage inside its
// device's namespace and CPU cgroup (child processes of this one), runs the controller, and removes the testbed.

#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "trial/layer.hpp"
#include "trial/testbed.hpp"
#include "trial/trial_run.hpp"

#include <string>
#include <vector>

namespace pipesplit::trial {

struct EmulatedTrial {
  TrialMeasurement measurement;
  TestbedPlan plan;
  std::vector<std::string> notes; // what the testbed could not emulate
  std::string prefix;             // of the testbed's names (for leftover checks)
  double machine_core_flops = 0;  // the model's FLOP/s on one core of this machine
};

// Throws NotPermitted without root, InputError for a placement the testbed cannot run (a stage with more than one
// thread, a device faster than this machine's core), ProtocolError when the trial fails.
EmulatedTrial run_emulated_trial(const Model& model, const Problem& problem, const Placement& placement,
                                 const TrialOptions& options, double machine_core_flops);

// The port of stage s's worker in its namespace, and the sink's.
inline int worker_port(int stage)
{
  return 7000 + stage;
}
inline constexpr int sink_port = 6999;

} // namespace pipesplit::trial
