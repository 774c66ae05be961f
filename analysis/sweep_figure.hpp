#pragma once
// One figure of a sweep (analysis/sweep_plot.cpp chooses the rows, the axes and the names; this draws them):
//  - a heatmap of the solver's speed-up over x and y (viridis), with the closed form's boundaries (where one cut
//    starts to help; where the network lets any cut help) and the simulated points labelled with their speed-up;
//  - curves of the speed-up along x, one per value of a series axis, with the closed form's one-cut speed-up dashed
//    and the simulated points circled.
// A whole-number axis (device counts, cut limits, threads) is drawn as what it is: boundaries follow the cells'
// edges instead of contours interpolated between integers, curves are steps, tics sit on the values.

#include "analysis/figure_style.hpp"
#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pipesplit::analysis {

// results.csv of a sweep folder.
struct ResultsTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  size_t column(const std::string& name) const; // throws InputError for a missing column
};
ResultsTable read_results_table(const std::string& path);

// An axis in readable units: bandwidth in Mbit/s, latency in ms, speed in GFLOP/s.
struct AxisDisplay {
  double factor = 1;
  std::string unit; // "" for ratios, counts and names
  std::string label() const;
  std::string name;
  bool integer = false; // whole numbers only: device counts, cut limits, threads
};
AxisDisplay display_of(const Axis& axis);
// "yolov2", "100": a value as results.csv writes it, in the axis' displayed unit.
std::string value_text(const Axis& axis, const std::string& csv_text);
// "model = yolov2", "bandwidth = 100 Mbit/s": a value as results.csv writes it, for titles and legends.
std::string describe_value(const Axis& axis, const std::string& csv_text);

struct SweepFigure {
  const ResultsTable* table = nullptr;
  std::vector<const std::vector<std::string>*> rows;
  const Axis* x      = nullptr;
  const Axis* y      = nullptr;   // heatmap when set
  const Axis* series = nullptr;   // curves: one per value (optional)
  std::string title;              // the sweep's name and what is drawn
  std::string value;              // a results.csv column drawn instead of the speed-up (heatmaps), or empty
  std::vector<std::string> fixed; // every other axis' value: "model = yolov2", "device_count = 4"
  FigureTarget target;
  FigureSize size = FigureSize::Page;
};

// A heatmap's axis: its values, each cell reaching half-way to its neighbours (geometrically on a log axis).
struct GridAxis {
  std::vector<double> values; // ascending
  bool log = false;

  size_t index(double v) const;
  std::pair<double, double> cell(size_t i) const;
  std::string range(char name) const;
  std::string tics(char name, bool integer) const; // whole numbers: a tic on every value (up to 20)
};

// A value of the axis as results.csv writes it, as a number (throws InputError naming the axis for a name).
double numeric_value(const Axis& axis, const std::string& text);

// Both write <stem>.dat (and more data files), <stem>.gp, and the pictures; they return the pictures.
std::vector<std::string> draw_heatmap(const SweepFigure& figure);
std::vector<std::string> draw_curves(const SweepFigure& figure);
// A heatmap of another results.csv column (figure.value: plan_devices, plan_energy_J, ...) over x and y, each cell
// labelled with its value; cells without one (no placement meets the constraints) in grey.
std::vector<std::string> draw_value_heatmap(const SweepFigure& figure);

// The title lines as a gnuplot string expression: `title` and `fixed` (wrapped at `width` characters) joined by
// newlines, every piece through gnuplot_string().
std::string title_expression(const std::string& title, const std::vector<std::string>& fixed, size_t width);

} // namespace pipesplit::analysis
