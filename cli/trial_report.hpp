#pragma once
// What `pipesplit trial` writes: trial.yaml (the format `pipesplit validate` reads), result.json (every figure and
// every timestamp), report.md (predicted, simulated and measured side by side) and the measured timeline next to the
// simulated one; and the comparison table it prints.

#include "cli/layer.hpp"
#include "cli/trial_calibration.hpp"
#include "cost/cost_model.hpp"
#include "cost/hops.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay_result.hpp"
#include "trial/trial_run.hpp"
#include "trial/trial_summary.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace pipesplit::cli {

struct TrialFigures {
  const LoadedScenario& loaded;
  Placement placement;
  std::string testbed;            // "emulated on this machine" or "boards of HOSTS.yaml"
  std::vector<std::string> notes; // what was not emulated, and other caveats
  double machine_core_flops = 0;  // 0 for boards
  std::vector<double> cpu_shares; // per stage's device, emulated only
  Prediction predicted;           // the scenario's own model
  sim::ReplayResult simulated;    // of the scenario's own model
  TrialCalibration calibration;   // the model calibrated from the measured profiles
  trial::TrialMeasurement measurement;
  trial::TrialSummary measured;
};

// One figure: the scenario's model predicted and simulated, the calibrated model predicted and simulated, measured.
struct ComparisonRow {
  std::string figure, unit;
  double predicted = 0, simulated = 0, measured = 0; // NaN: not available
  double calibrated = 0, calibrated_simulated = 0;   // NaN: not available
};
std::vector<ComparisonRow> comparison_rows(const TrialFigures& figures);

// The cells both tables share: a figure to 4 digits ("-" for NaN), and measured's error against a reference.
std::string figure_text(double value);
std::string error_text(double reference, double measured);
std::string trial_hop_name(const Problem& problem, const Hop& hop); // "cam->edge"

void print_trial_table(std::ostream& out, const TrialFigures& figures);
// trial.yaml, result.json (with `provenance`, what made it), report.md and the measured and simulated timelines.
void write_trial_outputs(const std::string& directory, const TrialFigures& figures, const nlohmann::json& provenance);

} // namespace pipesplit::cli
