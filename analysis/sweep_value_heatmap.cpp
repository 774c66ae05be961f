// A heatmap of any numeric results.csv column over two axes (analysis/sweep_figure.hpp): the planning answers of a
// sweep with a `plan` section, such as the fewest devices sustaining the camera's rate over bandwidth x rate.

#include "analysis/gnuplot.hpp"
#include "analysis/sweep_figure.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <sstream>

namespace pipesplit::analysis {

namespace {

// What a column holds, for the colour box; the column's own name otherwise.
std::string value_label(const std::string& column)
{
  static const std::pair<const char*, const char*> labels[] = {
      {"plan_devices", "devices used (fewest meeting the constraints)"},
      {"plan_cost", "cost of the devices used"},
      {"plan_latency_s", "latency (s)"},
      {"plan_energy_J", "energy per inference (J)"},
      {"plan_headroom_ips", "headroom (inferences/s)"},
      {"plan_throughput_ips", "throughput (inferences/s)"},
      {"plan_gap", "proven gap of the objective (relative)"}};
  for (const auto& [name, label] : labels)
    if (column == name)
      return label;
  return column;
}

bool whole_numbers(const std::set<double>& values)
{
  for (double v : values)
    if (v != std::floor(v))
      return false;
  return !values.empty();
}

} // namespace

std::vector<std::string> draw_value_heatmap(const SweepFigure& f)
{
  const Axis &x = *f.x, &y = *f.y;
  const AxisDisplay dx = display_of(x), dy = display_of(y);
  const size_t cx = f.table->column(x.name), cy = f.table->column(y.name), cv = f.table->column(f.value);
  std::set<double> xs, ys, values;
  for (const auto* row : f.rows) {
    xs.insert(numeric_value(x, (*row)[cx]) * dx.factor);
    ys.insert(numeric_value(y, (*row)[cy]) * dy.factor);
  }
  if (xs.size() < 2 || ys.size() < 2)
    throw InputError(f.x->name, "axes", "a heatmap needs at least two values on each axis");
  const GridAxis gx{{xs.begin(), xs.end()}, x.log_scale}, gy{{ys.begin(), ys.end()}, y.log_scale};
  std::string data = "# x y value x_low x_high y_low y_high\n", none = "# x_low x_high y_low y_high: no value\n";
  for (const auto* row : f.rows) {
    const double xv = numeric_value(x, (*row)[cx]) * dx.factor, yv = numeric_value(y, (*row)[cy]) * dy.factor;
    const auto [xl, xh] = gx.cell(gx.index(xv));
    const auto [yl, yh] = gy.cell(gy.index(yv));
    const auto value    = parse_number((*row)[cv]);
    if (!value) {
      none += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g} {:.10g} {:.10g}\n", xv, yv, xl, xh, yl, yh);
      continue;
    }
    values.insert(*value);
    data += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g} {:.10g} {:.10g} {:.10g}\n", xv, yv, *value, xl, xh, yl, yh);
  }
  const std::string stem = f.target.stem;
  write_file_atomically(stem + ".dat", data);
  write_file_atomically(stem + ".none.dat", none);
  const bool discrete = whole_numbers(values);
  std::ostringstream script;
  script << (x.log_scale ? "set logscale x\n" : "") << (y.log_scale ? "set logscale y\n" : "") << gx.range('x')
         << gy.range('y') << gx.tics('x', dx.integer) << gy.tics('y', dy.integer) << viridis_palette()
         << "set style fill solid 1.0 noborder\n"
         << "set cblabel " << gnuplot_string(value_label(f.value)) << "\n"
         << (discrete && *values.rbegin() - *values.begin() <= 20 // whole numbers: a tic on each, cells centred
                 ? fmt::format("set cbrange [{}:{}]\nset cbtics 1\n", *values.begin() - 0.5, *values.rbegin() + 0.5)
                 : std::string())
         << "set xlabel " << gnuplot_string(dx.label()) << "\nset ylabel " << gnuplot_string(dy.label()) << "\n"
         << "set title " << title_expression(f.title, f.fixed, f.size == FigureSize::Column ? 50 : 85) << "\n"
         // The key at the figure's foot, a line below the x label rather than against it.
         << "set key at screen 0.5, screen 0.01 center bottom horizontal Left reverse samplen 2\nset bmargin 5.5\n";
  // Each cell labelled with its value (readable on viridis' dark and light ends alike in a white box); cells without
  // a value in light grey, named in the key.
  const bool labels = f.rows.size() <= 400;
  const std::string plot =
      "plot " + gnuplot_string(stem + ".dat") + " using 1:2:4:5:6:7:3 with boxxyerror fc palette notitle, \\\n     " +
      gnuplot_string(stem + ".none.dat") +
      " using 1:2:3:4:5:6 with boxxyerror fc rgb '#d9d9d9' title 'no placement meets the constraints'" +
      (labels ? ", \\\n     " + gnuplot_string(stem + ".dat") +
                    " using 1:2:(sprintf('%g', $3)) with labels font ',7' tc rgb 'black' boxed notitle"
              : std::string());
  script << "set style textbox opaque fillcolor rgb 'white' noborder margins 0.5,0.5\n"
         << render_script(f.target, {f.size, f.size == FigureSize::Column ? 0.95 : 0.75}, plot);
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
  return f.target.files();
}

} // namespace pipesplit::analysis
