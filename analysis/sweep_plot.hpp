#pragma once
// Pictures of a sweep's results (analysis/sweep_figure.hpp draws them): a heatmap of the speed-up over two axes, or
// curves along one axis. Every other axis is fixed: to the value --fix gives it, else the sweep makes one figure per
// combination of these hidden axes' values, each file named after them, and every figure's title states every
// fixed value.

#include "analysis/figure_style.hpp"
#include "analysis/layer.hpp"

#include <map>
#include <string>
#include <vector>

namespace pipesplit::analysis {

struct PlotRequest {
  std::string dir;                            // a sweep's output folder (sweep.yaml, results.csv)
  std::string x{}, y{};                       // axis names; y empty: curves
  std::string series{};                       // curves: one line per value of this axis (optional)
  std::map<std::string, std::string> fixed{}; // other axes: keep rows with these values (as results.csv has them)
  // A results.csv column drawn as a heatmap over x and y instead of the speed-up (plan_devices, plan_energy_J, ...).
  std::string value{};
  // Where the figures go: NAME.pdf, NAME.png or NAME.svg writes that format, any other NAME all three; with more
  // than one figure, each NAME gets _<axis>-<value> for every hidden axis. Empty: DIR/<value or speedup>_<x>[_<y>]
  // followed by _<axis>-<value> for every fixed and hidden axis (so figures of different --fix never share a file).
  std::string output{};
  FigureSize size = FigureSize::Page;
};

// Returns the pictures written. Throws InputError for unknown axes or an empty selection.
std::vector<std::string> plot_sweep(const PlotRequest& request);

} // namespace pipesplit::analysis
