#pragma once
// report.md of `pipesplit run`: the plan, predicted against simulated figures, the bottleneck and utilisation, in
// words a reader can forward.

#include "cli/layer.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay_result.hpp"
#include "solver/solver.hpp"

#include <string>

namespace pipesplit::cli {

std::string markdown_report(const LoadedScenario& loaded, const SolveResult& solved, const SolveResult& single,
                            const sim::ReplayResult& replay, const std::string& timeline_picture);

} // namespace pipesplit::cli
