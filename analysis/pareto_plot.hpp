#pragma once
// The Pareto front of a planning question as a figure: one panel per pair of axes (2-D projections), the placements
// explored as small points and the non-dominated ones highlighted (Okabe-Ito colours, safe for colour-blind readers).

#include "analysis/layer.hpp"
#include "solver/objective_search.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

// Writes <stem>.dat (every point: throughput_ips latency_s devices energy_J cost on_front), <stem>.gp and
// <stem>.png. Throughput is shown as inferences/s (higher is better), the other axes as they are (lower is better).
void plot_pareto(const std::vector<solver::Figures>& explored, const std::vector<solver::FrontPoint>& front,
                 const std::vector<solver::Axis>& axes, const std::string& stem, const std::string& title);

} // namespace pipesplit::analysis
