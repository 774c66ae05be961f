// The curves of a sweep figure (analysis/sweep_figure.hpp).

#include "analysis/gnuplot.hpp"
#include "analysis/sweep_figure.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace pipesplit::analysis {

namespace {

// Up to this many series, each gets an Okabe-Ito colour and a key entry; more numeric series are coloured along
// viridis with a colour box as their legend (a key of 16 entries would take a third of the figure).
constexpr size_t max_keyed_series = 6;

struct Series {
  std::string text;                                         // the value as results.csv writes it
  std::map<double, const std::vector<std::string>*> points; // x (displayed unit) -> row
};

// Series in the axis' order (numeric values ascending, names as the sweep lists them).
std::vector<Series> group(const SweepFigure& f)
{
  const ResultsTable& table = *f.table;
  const size_t cx = table.column(f.x->name), cs = f.series ? table.column(f.series->name) : cx;
  const double factor = display_of(*f.x).factor;
  std::vector<Series> out;
  if (f.series)
    for (const auto& value : f.series->values)
      out.push_back({to_string(value), {}});
  else
    out.push_back({"", {}});
  for (const auto* row : f.rows) {
    const auto x = parse_number((*row)[cx]);
    if (!x)
      throw InputError("plot", f.x->name,
                       fmt::format("'{}' is not a number: plot names with --series or --fix", (*row)[cx]));
    for (auto& series : out)
      if (!f.series || series.text == (*row)[cs])
        series.points[*x * factor] = row;
  }
  std::erase_if(out, [](const Series& s) { return s.points.empty(); });
  return out;
}

// "1, 2, 4": the values of a whole-number axis, for its tics.
std::string tic_list(const Axis& axis)
{
  std::string list;
  for (const auto& value : axis.values)
    list += (list.empty() ? "" : ", ") + to_string(value);
  return list;
}

// A key headed by the series axis, boxed and set apart below the x label (gnuplot's own margin puts the heading
// right under the label, where it reads as a second line of it). gnuplot fits as many columns as entries of the
// longest text fit across the plot; the bottom margin (in character heights) is the tics, the label, the heading and
// the rows those columns leave, so it estimates them the same way, with room to spare, and caps gnuplot at them.
std::string keyed_series_legend(const std::string& heading, const std::vector<std::string>& entries,
                                FigureGeometry geometry)
{
  size_t longest = 0;
  for (const auto& entry : entries)
    longest = std::max(longest, entry.size());
  const double char_in    = 0.6 * geometry.font_pt() / 72;      // a sans character's average advance
  const double plot_chars = geometry.width_in() / char_in - 10; // less the y label and tics
  const auto columns      = static_cast<size_t>(std::clamp(std::floor(plot_chars / double(longest + 6)), 1.0, 3.0));
  const size_t rows       = (entries.size() + columns - 1) / columns;
  return fmt::format("set key title {} left\nset key box lc rgb 'gray60' width 1 spacing 1.2 maxcols {}\n"
                     "set bmargin {:.1f}\n",
                     gnuplot_string(heading), columns, 6 + 1.3 * static_cast<double>(rows));
}

struct CurveColumns {
  size_t speedup, one_cut, simulated; // in results.csv
};

// One data block: x, speed-up, one-cut speed-up, simulated speed-up (NaN: not simulated) and where the x value's step
// starts; whole numbers along x end with a row that closes the last step.
void write_series_block(std::ostream& data, const Series& series, const CurveColumns& c, bool integer)
{
  data << "# " << gnuplot_data_string(series.text) << '\n';
  for (const auto& [xv, row] : series.points)
    data << fmt::format("{:.10g} {} {} {} {:.10g}\n", xv, (*row)[c.speedup], (*row)[c.one_cut],
                        (*row)[c.simulated].empty() ? "NaN" : (*row)[c.simulated], integer ? xv - 0.5 : xv);
  if (integer) {
    const auto& [xv, row] = *series.points.rbegin();
    data << fmt::format("NaN {} {} NaN {:.10g}\n", (*row)[c.speedup], (*row)[c.one_cut], xv + 0.5);
  }
  data << "\n\n";
}

} // namespace

std::vector<std::string> draw_curves(const SweepFigure& f)
{
  const ResultsTable& table = *f.table;
  const AxisDisplay dx      = display_of(*f.x);
  const CurveColumns columns{table.column("speedup"), table.column("cf_one_cut_speedup"), table.column("sim_speedup")};
  auto lines = group(f);
  const bool by_palette =
      f.series && lines.size() > max_keyed_series &&
      std::all_of(lines.begin(), lines.end(), [](const Series& s) { return parse_number(s.text).has_value(); });
  const AxisDisplay ds = f.series ? display_of(*f.series) : AxisDisplay{};
  auto series_value    = [](const Series& series) { return *parse_number(series.text); };
  if (by_palette) // the colour box's range runs from the smallest value to the largest
    std::sort(lines.begin(), lines.end(),
              [&](const Series& a, const Series& b) { return series_value(a) < series_value(b); });
  const std::string stem = f.target.stem;
  // Whole numbers along x: a step per value, from half-way below it to half-way above (column 5 is where each
  // step starts; a last row without x ends the last step), not lines through values no point can take.
  const std::string style = dx.integer ? "steps" : "lines";
  const int line_x        = dx.integer ? 5 : 1;
  std::ostringstream data;
  data << "# one block per series: x speedup cf_one_cut_speedup simulated_speedup step_start (NaN: not simulated)\n";
  std::string plot = "plot ";
  std::vector<std::string> key_entries;
  for (size_t block = 0; block < lines.size(); ++block) {
    const Series& series = lines[block];
    write_series_block(data, series, columns, dx.integer);
    const std::string colour = by_palette ? fmt::format("palette cb {:.10g}", series_value(series) * ds.factor)
                                          : (f.series ? okabe_ito_colour(block) : std::string("rgb 'black'"));
    const std::string title =
        by_palette || !f.series ? "notitle" : "title " + gnuplot_string(value_text(*f.series, series.text));
    if (f.series && !by_palette)
      key_entries.push_back(value_text(*f.series, series.text));
    plot += fmt::format("{0}{1} index {2} using {6}:2 with {3} lw 2 lc {4} {5}, \\\n     "
                        "'' index {2} using 1:2 with points pt 7 ps 0.6 lc {4} notitle, \\\n     "
                        "'' index {2} using {6}:($3 > 1 ? $3 : 1) with {3} dt 2 lc {4} notitle, \\\n     "
                        "'' index {2} using 1:4 with points pt 6 ps 1.5 lc {4} notitle",
                        block ? ", \\\n     " : "", gnuplot_string(stem + ".dat"), block, style, colour, title, line_x);
  }
  // The line styles once, in black, instead of once per series (in a column, the caption says which closed form).
  const std::string closed_form = f.size == FigureSize::Column ? "closed form" : "closed form, one cut";
  key_entries.insert(key_entries.end(), {"solver", closed_form, "simulated"});
  plot += fmt::format(", \\\n     NaN with {} lw 2 lc rgb 'black' title 'solver', \\\n     "
                      "NaN with {} dt 2 lc rgb 'black' title {}, \\\n     "
                      "NaN with points pt 6 ps 1.5 lc rgb 'black' title 'simulated'",
                      style, style, gnuplot_string(closed_form));
  write_file_atomically(stem + ".dat", data.str());
  std::ostringstream script;
  script
      << (f.x->log_scale ? "set logscale x\n" : "") << "set xlabel " << gnuplot_string(dx.label()) << "\n"
      << "set ylabel 'speed-up over one device'\nset grid\nset key below horizontal Left reverse samplen 2 height 1\n"
      << "set title " << title_expression(f.title, f.fixed, f.size == FigureSize::Column ? 50 : 85) << "\n";
  const FigureGeometry geometry{f.size, f.size == FigureSize::Column ? 0.95 : 0.62};
  if (f.series && !by_palette)
    script << keyed_series_legend(ds.label(), key_entries, geometry);
  if (dx.integer && f.x->values.size() <= 20)
    script << "set xtics (" << tic_list(*f.x) << ")\nset mxtics 1\nset offsets 0.5, 0.5, 0, 0\n";
  if (by_palette)
    script << viridis_palette() << (f.series->log_scale ? "set logscale cb\n" : "")
           << fmt::format("set cbrange [{:.10g}:{:.10g}]\n", series_value(lines.front()) * ds.factor,
                          series_value(lines.back()) * ds.factor)
           << "set cblabel " << gnuplot_string(ds.label()) << "\nset colorbox\n";
  script << render_script(f.target, geometry, plot);
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
  return f.target.files();
}

} // namespace pipesplit::analysis
