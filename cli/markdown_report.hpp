#pragma once
// report.md of `pipesplit run`: the plan, predicted against simulated figures, the bottleneck and utilisation, in
// words a reader can forward.

#include "loaded_scenario.hpp"
#include "replay_result.hpp"
#include "solver.hpp"

#include <string>

namespace pipesplit::cli {

std::string markdown_report(const LoadedScenario& loaded, const SolveResult& solved, const SolveResult& single,
                            const sim::ReplayResult& replay, const std::string& timeline_picture);

} // namespace pipesplit::cli
