#include "analysis/sweep_plot.hpp"
#include "analysis/sweep_figure.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

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

// Every combination of the hidden axes' values (the first axis varying slowest), each as axis name -> value.
std::vector<std::map<std::string, std::string>> combinations(const std::vector<const Axis*>& hidden)
{
  std::vector<std::map<std::string, std::string>> out{{}};
  for (const Axis* axis : hidden) {
    std::vector<std::map<std::string, std::string>> longer;
    for (const auto& partial : out)
      for (const auto& value : axis->values) {
        longer.push_back(partial);
        longer.back()[axis->name] = to_string(value);
      }
    out = std::move(longer);
  }
  return out;
}

// Rows where every fixed axis has its value.
std::vector<const std::vector<std::string>*> select(const ResultsTable& table,
                                                    const std::map<std::string, std::string>& fixed)
{
  std::vector<std::pair<size_t, std::string>> conditions;
  for (const auto& [name, value] : fixed)
    conditions.emplace_back(table.column(name), value);
  std::vector<const std::vector<std::string>*> out;
  for (const auto& row : table.rows)
    if (std::all_of(conditions.begin(), conditions.end(), [&](const auto& c) { return row[c.first] == c.second; }))
      out.push_back(&row);
  return out;
}

struct Layout {
  const Axis* x      = nullptr;
  const Axis* y      = nullptr;
  const Axis* series = nullptr;
  std::vector<const Axis*> hidden; // neither drawn nor fixed, with more than one value: one figure per combination
};

Layout layout_of(const SweepSpec& spec, const PlotRequest& request)
{
  Layout layout;
  layout.x = &find_axis(spec, request.x);
  if (!request.y.empty())
    layout.y = &find_axis(spec, request.y);
  else if (!request.series.empty())
    layout.series = &find_axis(spec, request.series);
  for (const auto& [name, value] : request.fixed)
    find_axis(spec, name);
  for (const auto& axis : spec.axes)
    if (&axis != layout.x && &axis != layout.y && &axis != layout.series && !request.fixed.count(axis.name) &&
        axis.values.size() > 1)
      layout.hidden.push_back(&axis);
  return layout;
}

// A caption to paste under the figure: what is drawn against what, and every fixed value.
std::string caption(const SweepSpec& spec, const Layout& layout, const std::vector<std::string>& fixed)
{
  std::string text = fmt::format("{}: speed-up of the best partition over the best single device", spec.name);
  text += layout.y ? fmt::format(" (colour, solver) over {} and {}, with the closed form's boundaries",
                                 display_of(*layout.x).label(), display_of(*layout.y).label())
                   : fmt::format(" against {}{}, with the closed form's one-cut speed-up dashed",
                                 display_of(*layout.x).label(),
                                 layout.series ? ", one curve per " + layout.series->name : "");
  text += layout.y ? "; circles: simulated points, filled with their simulated speed-up on the same colour scale"
                   : "; circles: simulated points";
  for (size_t i = 0; i < fixed.size(); ++i)
    text += (i ? ", " : ". Fixed: ") + fixed[i];
  return text + ".\n";
}

std::string value_caption(const SweepSpec& spec, const Layout& layout, const std::string& value,
                          const std::vector<std::string>& fixed)
{
  std::string text = fmt::format("{}: {} (colour and label) over {} and {}; grey: no placement meets the constraints",
                                 spec.name, value, display_of(*layout.x).label(), display_of(*layout.y).label());
  if (spec.plan.enabled)
    text += fmt::format(" (objective {}, proven unless results.csv's plan_proven says otherwise)",
                        solver::to_string(spec.plan.objective));
  for (size_t i = 0; i < fixed.size(); ++i)
    text += (i ? ", " : ". Fixed: ") + fixed[i];
  return text + ".\n";
}

} // namespace

std::vector<std::string> plot_sweep(const PlotRequest& request)
{
  const std::string sweep_file = (fs::path(request.dir) / "sweep.yaml").string();
  if (!fs::exists(sweep_file))
    throw InputError(request.dir, "", "holds no sweep.yaml: not a sweep folder");
  const SweepSpec spec     = read_sweep_file(sweep_file);
  const ResultsTable table = read_results_table((fs::path(request.dir) / "results.csv").string());
  const Layout layout      = layout_of(spec, request);
  if (!request.value.empty()) {
    table.column(request.value); // a missing column is named before any drawing
    if (!layout.y)
      throw InputError("command line", "--value", "draws a heatmap: give --y as well");
  }
  const bool default_name   = request.output.empty();
  const FigureTarget target = FigureTarget::of(
      default_name ? (fs::path(request.dir) / ((request.value.empty() ? "speedup" : file_name_part(request.value)) +
                                               "_" + file_name_part(request.x) +
                                               (!request.y.empty()        ? "_" + file_name_part(request.y)
                                                : !request.series.empty() ? "_by_" + file_name_part(request.series)
                                                                          : "")))
                         .string()
                   : request.output);
  const auto combos = combinations(layout.hidden);
  std::vector<std::string> written;
  for (const auto& combo : combos) {
    std::map<std::string, std::string> fixed = request.fixed;
    fixed.insert(combo.begin(), combo.end());
    SweepFigure figure;
    figure.table  = &table;
    figure.x      = layout.x;
    figure.y      = layout.y;
    figure.series = layout.series;
    std::string suffix;
    for (const auto& axis : spec.axes) {
      if (&axis == layout.x || &axis == layout.y || &axis == layout.series)
        continue;
      const auto it = fixed.find(axis.name);
      if (it == fixed.end()) { // one value only: the same in every figure
        figure.fixed.push_back(describe_value(axis, to_string(axis.values.front())));
        continue;
      }
      figure.fixed.push_back(describe_value(axis, it->second));
      if (combo.count(axis.name) ? combos.size() > 1 || default_name : default_name)
        suffix += "_" + file_name_part(axis.name) + "-" + file_name_part(it->second);
    }
    figure.rows = select(table, fixed);
    if (figure.rows.empty()) {
      if (combos.size() == 1)
        throw InputError(spec.file, "", "no result matches the fixed axis values");
      continue; // a partial sweep: this combination has no result yet
    }
    figure.title     = spec.name + (request.value.empty() ? ": speed-up of the best partition" : ": " + request.value);
    figure.value     = request.value;
    figure.target    = target.with_suffix(suffix);
    figure.size      = request.size;
    const auto files = !request.value.empty() ? draw_value_heatmap(figure)
                       : layout.y             ? draw_heatmap(figure)
                                              : draw_curves(figure);
    written.insert(written.end(), files.begin(), files.end());
    write_file_atomically(figure.target.stem + ".caption.txt",
                          request.value.empty() ? caption(spec, layout, figure.fixed)
                                                : value_caption(spec, layout, request.value, figure.fixed));
  }
  if (written.empty())
    throw InputError(spec.file, "", "no result matches the fixed axis values");
  return written;
}

} // namespace pipesplit::analysis
