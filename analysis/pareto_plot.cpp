#include "analysis/pareto_plot.hpp"
#include "analysis/gnuplot.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <sstream>

namespace pipesplit::analysis {

using solver::Axis;
using solver::Figures;

// Column of the data file and label of each axis.
static int column_of(Axis axis)
{
  switch (axis) {
  case Axis::Throughput:
    return 1;
  case Axis::Latency:
    return 2;
  case Axis::Devices:
    return 3;
  case Axis::Energy:
    return 4;
  case Axis::Cost:
    return 5;
  }
  return 1;
}

static std::string label_of(Axis axis)
{
  switch (axis) {
  case Axis::Throughput:
    return "throughput (inferences/s, higher is better)";
  case Axis::Latency:
    return "latency (s)";
  case Axis::Devices:
    return "devices used";
  case Axis::Energy:
    return "energy per inference (J)";
  case Axis::Cost:
    return "cost of the devices";
  }
  return "";
}

static std::string data_line(const Figures& f, bool on_front)
{
  return fmt::format("{:.9g} {:.9g} {} {:.9g} {:.9g} {}\n", f.period_s > 0 ? 1 / f.period_s : 0, f.latency_s, f.devices,
                     f.energy_J, f.cost, on_front ? 1 : 0);
}

void plot_pareto(const std::vector<Figures>& explored, const std::vector<solver::FrontPoint>& front,
                 const std::vector<Axis>& axes, const std::string& stem, const std::string& title)
{
  std::ostringstream data;
  data << "# throughput_ips latency_s devices energy_J cost on_front\n";
  for (const auto& f : explored)
    data << data_line(f, false);
  data << "\n\n"; // gnuplot index 1: the front
  for (const auto& point : front)
    data << data_line(point.figures, true);
  write_file_atomically(stem + ".dat", data.str());

  std::vector<std::pair<Axis, Axis>> pairs;
  for (size_t i = 0; i < axes.size(); ++i)
    for (size_t j = i + 1; j < axes.size(); ++j)
      pairs.emplace_back(axes[i], axes[j]);
  const size_t columns = pairs.size() > 1 ? 2 : 1;
  const size_t rows    = (pairs.size() + columns - 1) / columns;
  std::ostringstream script;
  script << fmt::format("set terminal pngcairo noenhanced size {},{} font 'sans,10'\n", 560 * columns, 420 * rows)
         << "set output " << gnuplot_output(stem + ".png") << "\n"
         << fmt::format("set multiplot layout {},{} title {}\n", rows, columns, gnuplot_string(title))
         << "set grid\nset key top right opaque box\nset offsets graph 0.05, graph 0.05, graph 0.08, graph 0.08\n";
  const std::string file = gnuplot_string(stem + ".dat");
  for (const auto& [x, y] : pairs) {
    script << (x == Axis::Devices ? "set xtics 1\n" : "set xtics autofreq\n")
           << (y == Axis::Devices ? "set ytics 1\n" : "set ytics autofreq\n");
    script << "set xlabel " << gnuplot_string(label_of(x)) << "\nset ylabel " << gnuplot_string(label_of(y)) << "\n"
           << fmt::format("plot {0} index 0 using {1}:{2} with points pt 7 ps 0.4 lc rgb '#56B4E9' title "
                          "'placements explored', \\\n     {0} index 1 using {1}:{2} with points pt 7 ps 1.2 lc rgb "
                          "'#D55E00' title 'Pareto front'\n",
                          file, column_of(x), column_of(y));
  }
  script << "unset multiplot\n";
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
}

} // namespace pipesplit::analysis
