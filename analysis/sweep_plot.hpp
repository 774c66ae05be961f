#pragma once
// Pictures of a sweep's results (gnuplot, PNG and SVG, data and script kept beside them):
//  - a heatmap of the solver's speed-up over two axes, with the closed form's boundaries drawn over it (the one-cut
//    condition, sufficient and exact for two devices; the network condition, necessary) and the simulated points
//    marked with their simulated speed-up;
//  - curves of the speed-up along one axis, one per value of a second axis, with the closed form's one-cut speed-up
//    dashed and simulated points marked.
// Axes are shown in readable units: bandwidth in Mbit/s, latency in ms, speed in GFLOP/s.

#include "analysis/layer.hpp"
#include <map>
#include <string>
#include <vector>

namespace pipesplit::analysis {

struct PlotRequest {
  std::string dir;                            // a sweep's output folder (sweep.yaml, results.csv)
  std::string x{}, y{};                       // axis names; y empty: curves
  std::string series{};                       // curves: one line per value of this axis (optional)
  std::map<std::string, std::string> fixed{}; // other axes: keep rows with these values (default: the first value)
  std::string stem;                           // output: <stem>.png, <stem>.svg
};

// Returns the pictures written. Throws InputError for unknown axes or an empty selection.
std::vector<std::string> plot_sweep(const PlotRequest& request);

} // namespace pipesplit::analysis
