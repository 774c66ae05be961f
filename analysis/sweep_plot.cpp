#include "analysis/sweep_plot.hpp"
#include "analysis/csv.hpp"
#include "analysis/gnuplot.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  size_t column(const std::string& name) const
  {
    const auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end())
      throw InputError("sweep results", name, "no such column");
    return static_cast<size_t>(it - columns.begin());
  }
};

Table read_table(const std::string& path)
{
  std::ifstream file(path);
  if (!file)
    throw InputError(path, "", "cannot read: run the sweep (or merge its shards) first");
  Table table;
  std::string line;
  std::getline(file, line);
  table.columns = parse_csv_line(line);
  while (std::getline(file, line))
    if (!line.empty())
      table.rows.push_back(parse_csv_line(line));
  return table;
}

struct Display {
  double factor;
  std::string label;
};

Display display_of(const Axis& axis)
{
  switch (axis.kind) {
  case AxisKind::LinkBandwidth:
    return {8e-6, axis.name + " (Mbit/s)"};
  case AxisKind::LinkLatency:
    return {1e3, axis.name + " (ms)"};
  case AxisKind::HostSpeed:
    return {1e-9, axis.name + " (GFLOP/s per core)"};
  default:
    return {1, axis.name};
  }
}

// A numeric axis, or a clear error: names (models) cannot go along x or y.
double numeric_value(const Axis& axis, const std::string& text)
{
  if (const auto value = parse_number(text))
    return *value;
  throw InputError("plot", axis.name, fmt::format("'{}' is not a number: plot names with --series or --fix", text));
}

const Axis& find_axis(const SweepSpec& spec, const std::string& name)
{
  for (const auto& axis : spec.axes)
    if (axis.name == name)
      return axis;
  std::string names;
  for (const auto& axis : spec.axes)
    names += (names.empty() ? "" : ", ") + axis.name;
  throw InputError(spec.file, "axes", fmt::format("no axis '{}' (the sweep has: {})", name, names));
}

// Rows where every axis other than `free` has its fixed (or first) value.
std::vector<const std::vector<std::string>*> select(const SweepSpec& spec, const Table& table,
                                                    const std::set<std::string>& free,
                                                    const std::map<std::string, std::string>& fixed)
{
  std::vector<std::pair<size_t, std::string>> conditions;
  for (const auto& axis : spec.axes) {
    if (free.count(axis.name))
      continue;
    const auto it = fixed.find(axis.name);
    conditions.emplace_back(table.column(axis.name), it != fixed.end() ? it->second : to_string(axis.values.front()));
  }
  for (const auto& [name, value] : fixed)
    find_axis(spec, name);
  std::vector<const std::vector<std::string>*> out;
  for (const auto& row : table.rows)
    if (std::all_of(conditions.begin(), conditions.end(), [&](const auto& c) { return row[c.first] == c.second; }))
      out.push_back(&row);
  if (out.empty())
    throw InputError(spec.file, "", "no result matches the fixed axis values");
  return out;
}

std::string finish_script(const std::string& stem, const std::string& plot_command, const std::string& size)
{
  return fmt::format("set terminal pngcairo noenhanced size {} font 'sans,10'\nset output {}\n{}\n"
                     "set terminal svg noenhanced size {} font 'sans,10'\nset output {}\nreplot\n",
                     size, gnuplot_output(stem + ".png"), plot_command, size, gnuplot_output(stem + ".svg"));
}

// A heatmap's cells: one per point, reaching half-way to its neighbours (geometrically on a log axis).
struct HeatmapGrid {
  std::set<double> xs, ys;
  bool log_x = false, log_y = false;

  static std::pair<double, double> cell(const std::set<double>& values, double v, bool log)
  {
    auto it         = values.find(v);
    auto middle     = [&](double a, double b) { return log ? std::sqrt(a * b) : (a + b) / 2; };
    const double lo = it == values.begin() ? (log ? v / std::sqrt(*std::next(it) / v) : v - (*std::next(it) - v) / 2)
                                           : middle(*std::prev(it), v);
    const double hi = std::next(it) == values.end()
                          ? (log ? v * std::sqrt(v / *std::prev(it)) : v + (v - *std::prev(it)) / 2)
                          : middle(v, *std::next(it));
    return {lo, hi};
  }
  std::string ranges() const
  {
    return fmt::format("set xrange [{:.10g}:{:.10g}]\nset yrange [{:.10g}:{:.10g}]\n",
                       cell(xs, *xs.begin(), log_x).first, cell(xs, *xs.rbegin(), log_x).second,
                       cell(ys, *ys.begin(), log_y).first, cell(ys, *ys.rbegin(), log_y).second);
  }
};

// <stem>.dat: the solver's and the closed form's speed-ups per cell, as scan lines (one block per x value, y
// ascending inside, blank lines between blocks: the contour pass of gnuplot wants them); <stem>.sim.dat: the
// simulated points.
HeatmapGrid write_heatmap_data(const Table& table, const std::vector<const std::vector<std::string>*>& rows,
                               const Axis& x, const Axis& y, const std::string& stem)
{
  const Display dx = display_of(x), dy = display_of(y);
  const size_t cx = table.column(x.name), cy = table.column(y.name), speedup = table.column("speedup"),
               one_cut = table.column("cf_one_cut_speedup"), network = table.column("cf_network_speedup"),
               simulated = table.column("sim_speedup");
  HeatmapGrid grid{{}, {}, x.log_scale, y.log_scale};
  std::map<double, std::map<double, const std::vector<std::string>*>> cells;
  std::string sim = "# x y simulated_speedup\n";
  for (const auto* row : rows) {
    const double xv = numeric_value(x, (*row)[cx]) * dx.factor, yv = numeric_value(y, (*row)[cy]) * dy.factor;
    cells[xv][yv] = row;
    grid.xs.insert(xv);
    grid.ys.insert(yv);
    if (!(*row)[simulated].empty())
      sim += fmt::format("{:.10g} {:.10g} {}\n", xv, yv, (*row)[simulated]);
  }
  if (grid.xs.size() < 2 || grid.ys.size() < 2)
    return grid;
  std::string data = "# x y speedup cf_one_cut_speedup cf_network_speedup x_low x_high y_low y_high\n";
  for (const auto& [xv, column] : cells) {
    for (const auto& [yv, row] : column) {
      auto value          = [&, row = row](size_t c) { return (*row)[c].empty() ? std::string("0") : (*row)[c]; };
      const auto [xl, xh] = HeatmapGrid::cell(grid.xs, xv, grid.log_x);
      const auto [yl, yh] = HeatmapGrid::cell(grid.ys, yv, grid.log_y);
      data += fmt::format("{:.10g} {:.10g} {} {} {} {:.10g} {:.10g} {:.10g} {:.10g}\n", xv, yv, value(speedup),
                          value(one_cut), value(network), xl, xh, yl, yh);
    }
    data += '\n';
  }
  write_file_atomically(stem + ".dat", data);
  write_file_atomically(stem + ".sim.dat", sim);
  return grid;
}

std::vector<std::string> heatmap(const SweepSpec& spec, const Table& table, const PlotRequest& request)
{
  const Axis& x          = find_axis(spec, request.x);
  const Axis& y          = find_axis(spec, request.y);
  const std::string stem = request.stem;
  const HeatmapGrid grid = write_heatmap_data(table, select(spec, table, {x.name, y.name}, request.fixed), x, y, stem);
  if (grid.xs.size() < 2 || grid.ys.size() < 2)
    throw InputError(spec.file, "axes", "a heatmap needs at least two values on each axis; use curves");
  std::ostringstream script;
  script << "# Contours of the closed form at speed-up 1: where one cut starts to help, and where the network lets "
            "any cut help.\n"
         << "set contour base\nset cntrparam levels discrete 1\nunset surface\nset view map\n"
         << "set table " << gnuplot_string(stem + ".one_cut.dat") << "\nsplot " << gnuplot_string(stem + ".dat")
         << " using 1:2:4 with lines\nunset table\n"
         << "set table " << gnuplot_string(stem + ".network.dat") << "\nsplot " << gnuplot_string(stem + ".dat")
         << " using 1:2:5 with lines\nunset table\n"
         << "unset contour\nset surface\nreset\n"
         << (x.log_scale ? "set logscale x\n" : "") << (y.log_scale ? "set logscale y\n" : "") << grid.ranges()
         << "set palette rgbformulae 33,13,10\nset style fill solid 1.0 noborder\n"
         << "set cblabel 'speed-up over the best single device (solver)'\n"
         << "set xlabel " << gnuplot_string(display_of(x).label) << "\nset ylabel "
         << gnuplot_string(display_of(y).label) << "\n"
         << "set title " << gnuplot_string(spec.name + ": speed-up of the best partition") << "\n"
         << "set cbrange [1:*]\nset key outside top center horizontal\n";
  const std::string plot =
      "plot " + gnuplot_string(stem + ".dat") + " using 1:2:6:7:8:9:3 with boxxyerror fc palette notitle, \\\n     " +
      gnuplot_string(stem + ".one_cut.dat") +
      " using 1:2 with lines lw 3 lc rgb 'white' title 'closed form: one cut helps', \\\n     " +
      gnuplot_string(stem + ".network.dat") +
      " using 1:2 with lines lw 2 dt 2 lc rgb 'black' title 'closed form: network allows', \\\n     " +
      gnuplot_string(stem + ".sim.dat") +
      " using 1:2 with points pt 6 ps 2 lc rgb 'black' title 'simulated', \\\n     " +
      gnuplot_string(stem + ".sim.dat") +
      " using 1:2:(sprintf('%.2f', $3)) with labels offset 0,1.2 font 'sans,8' notitle";
  script << finish_script(stem, plot, "1000,750");
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
  return {stem + ".png", stem + ".svg"};
}

std::vector<std::string> curves(const SweepSpec& spec, const Table& table, const PlotRequest& request)
{
  const Axis& x = find_axis(spec, request.x);
  std::set<std::string> free{x.name};
  if (!request.series.empty())
    free.insert(find_axis(spec, request.series).name);
  const auto rows  = select(spec, table, free, request.fixed);
  const Display dx = display_of(x);
  const size_t cx = table.column(x.name), speedup = table.column("speedup"),
               one_cut = table.column("cf_one_cut_speedup"), simulated = table.column("sim_speedup");
  const size_t series = request.series.empty() ? cx : table.column(request.series);
  std::map<std::string, std::map<double, const std::vector<std::string>*>> lines;
  for (const auto* row : rows)
    lines[request.series.empty() ? std::string("speed-up") : (*row)[series]][numeric_value(x, (*row)[cx]) * dx.factor] =
        row;
  const std::string stem = request.stem;
  std::ostringstream data;
  data << "# one block per series: x speedup cf_one_cut_speedup simulated_speedup (NaN: not simulated)\n";
  std::string plot = "plot ";
  int block        = 0;
  for (const auto& [name, points] : lines) {
    data << "# " << gnuplot_data_string(name) << '\n';
    for (const auto& [xv, row] : points)
      data << fmt::format("{:.10g} {} {} {}\n", xv, (*row)[speedup], (*row)[one_cut],
                          (*row)[simulated].empty() ? "NaN" : (*row)[simulated]);
    data << "\n\n";
    const std::string label = request.series.empty() ? "solver" : request.series + " = " + name;
    plot +=
        fmt::format("{}{} index {} using 1:2 with linespoints lw 2 lc {} title {}, \\\n     "
                    "'' index {} using 1:($3 > 1 ? $3 : 1) with lines dt 2 lc {} title {}, \\\n     "
                    "'' index {} using 1:4 with points pt 6 ps 1.8 lc {} notitle",
                    block ? ", \\\n     " : "", gnuplot_string(stem + ".dat"), block, block + 1, gnuplot_string(label),
                    block, block + 1, gnuplot_string(label + " (closed form, one cut)"), block, block + 1);
    ++block;
  }
  write_file_atomically(stem + ".dat", data.str());
  std::ostringstream script;
  script << (x.log_scale ? "set logscale x\n" : "") << "set xlabel " << gnuplot_string(dx.label) << "\n"
         << "set ylabel 'speed-up over the best single device'\nset grid\nset key outside right\n"
         << "set title " << gnuplot_string(spec.name + ": speed-up (circles: simulated)") << "\n";
  script << finish_script(stem, plot, "1100,650");
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
  return {stem + ".png", stem + ".svg"};
}

} // namespace

std::vector<std::string> plot_sweep(const PlotRequest& request)
{
  const std::string sweep_file = (fs::path(request.dir) / "sweep.yaml").string();
  if (!fs::exists(sweep_file))
    throw InputError(request.dir, "", "holds no sweep.yaml: not a sweep folder");
  const SweepSpec spec = read_sweep_file(sweep_file);
  const Table table    = read_table((fs::path(request.dir) / "results.csv").string());
  return request.y.empty() ? curves(spec, table, request) : heatmap(spec, table, request);
}

} // namespace pipesplit::analysis
