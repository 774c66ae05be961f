#pragma once
// Predicted against measured figures, one point per figure, with the y = x line and a +-10% band.

#include "analysis/layer.hpp"
#include <string>
#include <vector>

namespace pipesplit::analysis {

struct ScatterPoint {
  std::string label;
  double predicted = 0;
  double measured  = 0;
};

// Writes <stem>.dat, <stem>.gp and <stem>.png (log-log axes: stage times and throughputs span decades).
void plot_predicted_vs_measured(const std::vector<ScatterPoint>& points, const std::string& stem,
                                const std::string& title);

} // namespace pipesplit::analysis
