#pragma once
// A Gantt chart of the replay: one lane per stage (compute) and per hop (transfer), one box per input.

#include "analysis/layer.hpp"
#include "sim/replay_result.hpp"

#include <string>

namespace pipesplit::analysis {

// Writes <stem>.dat, <stem>.gp and the picture as <stem>.pdf, <stem>.png and <stem>.svg (page width). Times are shown from the first event, in seconds.
void plot_timeline(const sim::ReplayResult& replay, const std::string& stem, const std::string& title);

} // namespace pipesplit::analysis
