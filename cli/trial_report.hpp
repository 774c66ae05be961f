#pragma once
// What `pipesplit trial` writes: trial.yaml (the format `pipesplit validate` reads), result.json (every figure and
// every timestamp), report.md (predicted, simulated and measured side by side) and the measured timeline next to the
// simulated one; and the comparison table it prints.

#include "cli/layer.hpp"
#include "cost/cost_model.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay_result.hpp"
#include "trial/trial_run.hpp"
#include "trial/trial_summary.hpp"

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
  Prediction predicted;
  sim::ReplayResult simulated;
  trial::TrialMeasurement measurement;
  trial::TrialSummary measured;
};

struct ComparisonRow {
  std::string figure, unit;
  double predicted = 0, simulated = 0, measured = 0; // NaN: not available
};
std::vector<ComparisonRow> comparison_rows(const TrialFigures& figures);

void print_trial_table(std::ostream& out, const TrialFigures& figures);
void write_trial_outputs(const std::string& directory, const TrialFigures& figures);

} // namespace pipesplit::cli
