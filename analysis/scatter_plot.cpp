#include "analysis/scatter_plot.hpp"
#include "analysis/gnuplot.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace pipesplit::analysis {

namespace {

template <typename Field>
std::vector<std::string> distinct(const std::vector<ScatterPoint>& points, Field field)
{
  std::vector<std::string> out;
  for (const auto& p : points)
    if (std::find(out.begin(), out.end(), p.*field) == out.end())
      out.push_back(p.*field);
  return out;
}

// A tic step giving 3 to 6 tics over `span`: 1, 2 or 5 times a power of ten (gnuplot's own choice crowds a
// column-wide panel).
double tic_step(double span)
{
  const double raw  = span / 4;
  const double base = std::pow(10, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0})
    if (m * base >= raw)
      return m * base;
  return 10 * base;
}

// One panel: the points of `unit`, one data block per kind (blocks of the other kinds are empty, so that a kind
// keeps its colour in every panel; only the kinds present are in this panel's key). Log axes when the figures span
// a decade or more, else linear (a log axis over less than a decade would have one tic label, or none).
std::string panel(const std::vector<ScatterPoint>& points, const std::string& unit,
                  const std::vector<std::string>& kinds, const std::string& data_file, size_t first_block, bool first)
{
  double low = 1e300, high = 0;
  std::vector<bool> present(kinds.size(), false);
  for (const auto& p : points)
    if (p.unit == unit) {
      low  = std::min({low, p.measured, p.predicted});
      high = std::max({high, p.measured, p.predicted});
      present[static_cast<size_t>(std::find(kinds.begin(), kinds.end(), p.kind) - kinds.begin())] = true;
    }
  const bool log = high >= 10 * low;
  if (log) {
    low /= 1.5;
    high *= 1.5;
  } else {
    const double margin = std::max(0.15 * (high - low), 0.05 * high);
    low                 = std::max(low - margin, 0.0);
    high += margin;
  }
  std::ostringstream out;
  out << (log ? "set logscale xy\n" : "unset logscale\n")
      << fmt::format("set xrange [{:.6g}:{:.6g}]\nset yrange [{:.6g}:{:.6g}]\n", low, high, low, high)
      << (log ? "set xtics autofreq\nset ytics autofreq\n"
              : fmt::format("set xtics {0:.6g}\nset ytics {0:.6g}\n", tic_step(high - low)))
      << "set xlabel " << gnuplot_string("measured (" + unit + ")") << "\nset ylabel "
      << gnuplot_string("predicted (" + unit + ")") << "\n"
      << "set key below vertical Left reverse samplen 2\n"
      << "plot x with lines lc rgb 'black' " << (first ? "title 'predicted = measured'" : "notitle") << ", \\\n"
      << "     1.1*x with lines dt 2 lc rgb 'gray40' " << (first ? "title '+-10%'" : "notitle")
      << ", 0.9*x with lines dt 2 lc rgb 'gray40' notitle";
  for (size_t k = 0; k < kinds.size(); ++k)
    out << fmt::format(", \\\n     {} index {} using 1:2 with points pt 7 ps 1 lc {} {}", gnuplot_string(data_file),
                       first_block + k, okabe_ito_colour(k),
                       present[k] ? "title " + gnuplot_string(kinds[k]) : std::string("notitle"));
  out << "\n";
  return out.str();
}

} // namespace

std::vector<std::string> plot_predicted_vs_measured(const std::vector<ScatterPoint>& points, const std::string& output,
                                                    const std::string& title, FigureSize size)
{
  const FigureTarget target = FigureTarget::of(output);
  const auto units          = distinct(points, &ScatterPoint::unit);
  const auto kinds          = distinct(points, &ScatterPoint::kind);
  std::ostringstream data;
  data << "# measured predicted label: one block per unit (in order), and inside it per kind (in order)\n";
  for (const auto& unit : units)
    for (const auto& kind : kinds) {
      data << "# " << gnuplot_data_string(unit + ": " + kind) << "\n";
      for (const auto& p : points)
        if (p.unit == unit && p.kind == kind)
          data << fmt::format("{:.9g} {:.9g} {}\n", p.measured, p.predicted, gnuplot_data_string(p.label));
      data << "NaN NaN \"\"\n\n\n"; // a block is never empty: gnuplot would skip it and shift the indices
    }
  write_file_atomically(target.stem + ".dat", data.str());
  // Side by side on a page; stacked in a column, where two panels side by side would be 1.7 in wide each.
  const bool stacked = size == FigureSize::Column;
  std::string plot   = fmt::format("set multiplot layout {},{} title {}\nset grid\nset size ratio -1\n",
                                 stacked ? units.size() : 1, stacked ? 1 : units.size(), gnuplot_string(title));
  for (size_t u = 0; u < units.size(); ++u)
    plot += panel(points, units[u], kinds, target.stem + ".dat", u * kinds.size(), u == 0);
  plot += "unset multiplot";
  const double n      = static_cast<double>(units.size());
  const double aspect = stacked ? 0.9 * n : n > 1 ? 0.62 : 1.0;
  write_file_atomically(target.stem + ".gp", render_script(target, {size, aspect}, plot));
  run_gnuplot(target.stem + ".gp");
  return target.files();
}

} // namespace pipesplit::analysis
