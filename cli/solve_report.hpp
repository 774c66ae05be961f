#pragma once
// How a solver's result is shown: the plan and its comparison with the best single device, as text and JSON.

#include "cli/layer.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/solver.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>

namespace pipesplit::cli {

// A line on stderr twice a second while a search runs (time, nodes, best period, bound, gap), when stderr is a
// terminal; none when it is piped.
std::function<void(const SolveProgress&)> solve_progress_on_terminal();

void print_solve_report(std::ostream& out, const LoadedScenario& loaded, const SolveResult& result,
                        const SolveResult& single);
nlohmann::json solve_report_json(const LoadedScenario& loaded, const SolveOptions& options, const SolveResult& result,
                                 const SolveResult& single);

} // namespace pipesplit::cli
