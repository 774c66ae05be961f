#pragma once
// The replay's figures beside the cost model's, for people (a table) and for scripts (JSON).

#include "cost_model.hpp"
#include "loaded_scenario.hpp"
#include "replay.hpp"
#include "replay_result.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace pipesplit::cli {

double relative_error(double simulated, double predicted); // (simulated - predicted) / predicted

// Replay in a child process (SimGrid aborts on some failures and keeps one engine per process), pass on what it
// logged (SimGrid's warnings, the wall-clock figures) to stderr.
sim::ReplayResult replay_reporting(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                   const sim::ReplayOptions& options);

void print_comparison(std::ostream& out, const Problem& problem, const Prediction& prediction,
                      const sim::ReplayResult& replay);
nlohmann::json comparison_json(const Prediction& prediction, const sim::ReplayResult& replay);

} // namespace pipesplit::cli
