// The heatmap of a sweep figure (analysis/sweep_figure.hpp).

#include "analysis/gnuplot.hpp"
#include "analysis/sweep_figure.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

namespace pipesplit::analysis {

namespace {

using Cells = std::map<double, std::map<double, const std::vector<std::string>*>>;

double cell_value(const std::vector<std::string>& row, size_t column)
{
  const auto value = parse_number(row[column]);
  return value ? *value : 0;
}

// The boundary of {cells where `column` > 1} along the cells' edges: segments "x y / x y", blank-line separated.
std::string edge_boundary(const Cells& cells, const GridAxis& gx, const GridAxis& gy, size_t column)
{
  std::string out = "# cell edges between speed-up <= 1 and > 1\n";
  auto helps      = [&](double x, double y) -> int {
    const auto column_it = cells.find(x);
    if (column_it == cells.end() || !column_it->second.count(y))
      return -1;
    return cell_value(*column_it->second.at(y), column) > 1;
  };
  for (size_t i = 0; i < gx.values.size(); ++i)
    for (size_t j = 0; j < gy.values.size(); ++j) {
      const int here      = helps(gx.values[i], gy.values[j]);
      const auto [xl, xh] = gx.cell(i);
      const auto [yl, yh] = gy.cell(j);
      if (here < 0)
        continue;
      if (i + 1 < gx.values.size() && helps(gx.values[i + 1], gy.values[j]) == 1 - here)
        out += fmt::format("{:.10g} {:.10g}\n{:.10g} {:.10g}\n\n", xh, yl, xh, yh);
      if (j + 1 < gy.values.size() && helps(gx.values[i], gy.values[j + 1]) == 1 - here)
        out += fmt::format("{:.10g} {:.10g}\n{:.10g} {:.10g}\n\n", xl, yh, xh, yh);
    }
  return out;
}

// The closed form's boundaries into <stem>.one_cut.dat and <stem>.network.dat: contours of a continuous grid, or
// cell edges when an axis counts whole things (a contour would cross values no sweep point can take).
std::string boundaries(const SweepFigure& f, const Cells& cells, const GridAxis& gx, const GridAxis& gy, bool discrete)
{
  const std::string stem = f.target.stem;
  if (discrete) {
    write_file_atomically(stem + ".one_cut.dat", edge_boundary(cells, gx, gy, f.table->column("cf_one_cut_speedup")));
    write_file_atomically(stem + ".network.dat", edge_boundary(cells, gx, gy, f.table->column("cf_network_speedup")));
    return "# Closed-form boundaries along the cells' edges (a whole-number axis): computed by pipesplit.\n";
  }
  std::ostringstream script;
  script << "# Contours of the closed form at speed-up 1: where one cut starts to help, and where the network lets "
            "any cut help.\n"
         << "set contour base\nset cntrparam levels discrete 1\nunset surface\nset view map\n";
  for (const auto& [file, column] : {std::pair{".one_cut.dat", 4}, std::pair{".network.dat", 5}})
    script << "set table " << gnuplot_string(stem + file) << "\nsplot " << gnuplot_string(stem + ".dat")
           << " using 1:2:" << column << " with lines\nunset table\n";
  script << "unset contour\nset surface\nreset\n";
  return script.str();
}

// The fixed values, and what the closed form says where it draws no boundary (it holds in every cell, or in none):
// without this, a missing line would read as a missing computation.
std::vector<std::string> title_notes(const SweepFigure& f, const Cells& cells)
{
  std::vector<std::string> notes = f.fixed;
  for (const auto& [column, what] :
       {std::pair{"cf_one_cut_speedup", "one cut helps"}, std::pair{"cf_network_speedup", "the network allows"}}) {
    const size_t c = f.table->column(column);
    size_t helps = 0, all = 0;
    for (const auto& [x, by_y] : cells)
      for (const auto& [y, row] : by_y) {
        ++all;
        helps += cell_value(*row, c) > 1;
      }
    if (helps == all || helps == 0)
      notes.push_back(fmt::format("closed form: {} in {} cell", what, helps ? "every" : "no"));
  }
  return notes;
}

} // namespace

std::vector<std::string> draw_heatmap(const SweepFigure& f)
{
  const Axis &x = *f.x, &y = *f.y;
  const AxisDisplay dx = display_of(x), dy = display_of(y);
  const ResultsTable& table = *f.table;
  const size_t cx = table.column(x.name), cy = table.column(y.name), speedup = table.column("speedup"),
               one_cut = table.column("cf_one_cut_speedup"), network = table.column("cf_network_speedup"),
               simulated = table.column("sim_speedup");
  Cells cells;
  std::set<double> xs, ys;
  std::string sim = "# x y simulated_speedup\n";
  for (const auto* row : f.rows) {
    const double xv = numeric_value(x, (*row)[cx]) * dx.factor, yv = numeric_value(y, (*row)[cy]) * dy.factor;
    cells[xv][yv] = row;
    xs.insert(xv);
    ys.insert(yv);
    if (!(*row)[simulated].empty())
      sim += fmt::format("{:.10g} {:.10g} {}\n", xv, yv, (*row)[simulated]);
  }
  if (xs.size() < 2 || ys.size() < 2)
    throw InputError(f.x->name, "axes", "a heatmap needs at least two values on each axis; use curves");
  const GridAxis gx{{xs.begin(), xs.end()}, x.log_scale}, gy{{ys.begin(), ys.end()}, y.log_scale};
  const std::string stem = f.target.stem;
  std::string data       = "# x y speedup cf_one_cut_speedup cf_network_speedup x_low x_high y_low y_high\n";
  for (const auto& [xv, column] : cells) {
    for (const auto& [yv, row] : column) {
      auto value          = [&, row = row](size_t c) { return (*row)[c].empty() ? std::string("0") : (*row)[c]; };
      const auto [xl, xh] = gx.cell(gx.index(xv));
      const auto [yl, yh] = gy.cell(gy.index(yv));
      data += fmt::format("{:.10g} {:.10g} {} {} {} {:.10g} {:.10g} {:.10g} {:.10g}\n", xv, yv, value(speedup),
                          value(one_cut), value(network), xl, xh, yl, yh);
    }
    data += '\n';
  }
  write_file_atomically(stem + ".dat", data);
  write_file_atomically(stem + ".sim.dat", sim);

  std::ostringstream script;
  script << boundaries(f, cells, gx, gy, dx.integer || dy.integer) << (x.log_scale ? "set logscale x\n" : "")
         << (y.log_scale ? "set logscale y\n" : "") << gx.range('x') << gy.range('y') << gx.tics('x', dx.integer)
         << gy.tics('y', dy.integer) << viridis_palette() << "set style fill solid 1.0 noborder\n"
         << "set cblabel 'speed-up over one device (solver)'\n"
         << "set xlabel " << gnuplot_string(dx.label()) << "\nset ylabel " << gnuplot_string(dy.label()) << "\n"
         << "set title " << title_expression(f.title, title_notes(f, cells), f.size == FigureSize::Column ? 50 : 85)
         << "\n"
         << "set cbrange [1:*]\nset key outside bottom center horizontal Left reverse samplen 2 height 1.5\n"
         << "set style textbox opaque fillcolor rgb 'white' noborder margins 1,1\n";
  // Boundaries in Okabe-Ito orange and sky blue: bright against viridis' dark end (where speed-up is near 1 and the
  // boundaries lie) and visible in the key on white. Simulated points: discs filled with the simulated speed-up on
  // the cells' colour scale, black rims, so that a disc that disappears into its cell is a simulation that agrees,
  // at any size; a page also has room for their values.
  const std::string plot =
      "plot " + gnuplot_string(stem + ".dat") + " using 1:2:6:7:8:9:3 with boxxyerror fc palette notitle, \\\n     " +
      gnuplot_string(stem + ".one_cut.dat") + " using 1:2 with lines lw 3 lc " + okabe_ito_colour(4) +
      " title 'closed form: one cut helps', \\\n     " + gnuplot_string(stem + ".network.dat") +
      " using 1:2 with lines lw 3 dt 2 lc " + okabe_ito_colour(5) + " title 'closed form: network allows', \\\n     " +
      gnuplot_string(stem + ".sim.dat") + " using 1:2:3 with points pt 7 ps 1.2 lc palette notitle, \\\n     " +
      gnuplot_string(stem + ".sim.dat") +
      " using 1:2 with points pt 6 ps 1.2 lc rgb 'black' title 'simulated (fill: its speed-up)'" +
      // A column is too narrow for the simulated speed-ups' labels: the fill tells (and results.csv has them).
      (f.size == FigureSize::Column ? std::string()
                                    : ", \\\n     " + gnuplot_string(stem + ".sim.dat") +
                                          " using 1:2:(sprintf('%.2f', $3)) with labels boxed offset 0,1.1 font ',6' "
                                          "notitle");
  script << render_script(f.target, {f.size, f.size == FigureSize::Column ? 0.95 : 0.75}, plot);
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
  return f.target.files();
}

} // namespace pipesplit::analysis
