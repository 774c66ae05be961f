#pragma once
// Predicted against measured figures: one panel per unit (seconds; inferences/s), never two units on one pair of
// axes, each with the y = x line and a +-10% band, points coloured by kind (stage compute, transfer, throughput,
// latency) with the kinds in a key below the panels, inside the canvas.

#include "analysis/figure_style.hpp"
#include "analysis/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

struct ScatterPoint {
  std::string label;
  double predicted = 0;
  double measured  = 0;
  std::string unit = "s"; // one panel per unit
  std::string kind{};     // one colour per kind, in the key
};

// Writes <stem>.dat, <stem>.gp and the pictures (`output`: FigureTarget::of); returns the pictures. Log-log axes:
// stage times and throughputs span decades.
std::vector<std::string> plot_predicted_vs_measured(const std::vector<ScatterPoint>& points, const std::string& output,
                                                    const std::string& title, FigureSize size = FigureSize::Page);

} // namespace pipesplit::analysis
