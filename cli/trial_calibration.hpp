#pragma once
// The trial's calibrated prediction and its simulation: on the emulated testbed, from every block timed on this
// machine's core divided by each device's CPU share; on boards, the scenario's own measured profiles when every
// stage's host has one (absent otherwise).

#include "cli/layer.hpp"
#include "cost/cost_model.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "sim/replay_result.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pipesplit::cli {

struct TrialCalibration {
  std::optional<Prediction> predicted;        // absent: no measured profile for some stage's host
  std::optional<sim::ReplayResult> simulated; // the calibrated model simulated
  std::string source;                         // where the calibration comes from, or why it is absent
  std::vector<double> block_seconds;          // emulated: per block, on this machine's core at one thread
};

// The prediction and simulation of `problem` with the placement, as the trial reports them.
struct PlanFigures {
  Prediction predicted;
  sim::ReplayResult simulated;
};
PlanFigures predict_and_simulate(const Problem& problem, const Placement& placement, const sim::ReplayOptions& replay);

// Emulated: the block times measured here, each device's profile = those times / its CPU share.
TrialCalibration calibrate_emulated(const LoadedScenario& loaded, const Placement& placement,
                                    const std::map<int, double>& cpu_share_by_host, const sim::ReplayOptions& replay);

// Boards: the scenario's own figures (`own`) when every stage's host has a measured profile of its blocks.
TrialCalibration calibrate_from_profiles(const Problem& problem, const Placement& placement, const PlanFigures& own);

} // namespace pipesplit::cli
