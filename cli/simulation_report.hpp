#pragma once
// The replay's figures beside the cost model's, for people (a table) and for scripts (JSON).

#include "cli/layer.hpp"
#include "cost/cost_model.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "sim/replay_result.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace pipesplit::cli {

double relative_error(double simulated, double predicted); // (simulated - predicted) / predicted

// Replay options for a scenario and the command line: result counts (negative: the scenario's), the --network flag
// (empty: the scenario's; the prediction it is compared with follows it), extra SimGrid log settings. Wall-clock
// figures vary from run to run: they are shown only on a terminal, unless a log setting asks for them.
sim::ReplayOptions replay_options_for(LoadedScenario& loaded, long long inferences, long long warmup,
                                      const std::string& network, const std::vector<std::string>& log_controls);

// Why a run that delivered fewer results than expected failed.
std::string stall_message(const sim::ReplayResult& replay);

// Replay in a child process (SimGrid aborts on some failures and keeps one engine per process), pass on what it
// logged (SimGrid's warnings, the wall-clock figures) to stderr.
sim::ReplayResult replay_reporting(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                   const sim::ReplayOptions& options);

void print_comparison(std::ostream& out, const Problem& problem, const Prediction& prediction,
                      const sim::ReplayResult& replay);
// Empty when the warm-up was long enough; otherwise what to do about the transient the replay measured.
std::string transient_warning(const sim::ReplayResult& replay);

nlohmann::json comparison_json(const Prediction& prediction, const sim::ReplayResult& replay);

} // namespace pipesplit::cli
