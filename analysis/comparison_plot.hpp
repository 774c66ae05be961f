#pragma once
// Grouped bars of several results (`pipesplit compare`): throughput (inferences/s) and latency (s) in two panels,
// never on one axis; one group per result, predicted and simulated side by side (Okabe-Ito blue and vermillion).

#include "analysis/figure_style.hpp"
#include "analysis/layer.hpp"
#include "analysis/result_comparison.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

// Writes <stem>.dat, <stem>.gp and the pictures (`output`: FigureTarget::of); returns the pictures.
std::vector<std::string> plot_comparison(const std::vector<ResultSummary>& results, const std::string& output,
                                         FigureSize size = FigureSize::Page);

} // namespace pipesplit::analysis
