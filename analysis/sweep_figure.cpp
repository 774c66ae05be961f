#include "analysis/sweep_figure.hpp"
#include "analysis/csv.hpp"
#include "analysis/gnuplot.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace pipesplit::analysis {

size_t ResultsTable::column(const std::string& name) const
{
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end())
    throw InputError("sweep results", name, "no such column");
  return static_cast<size_t>(it - columns.begin());
}

ResultsTable read_results_table(const std::string& path)
{
  std::ifstream file(path);
  if (!file)
    throw InputError(path, "", "cannot read: run the sweep (or merge its shards) first");
  ResultsTable table;
  std::string line;
  std::getline(file, line);
  table.columns = parse_csv_line(line);
  while (std::getline(file, line))
    if (!line.empty())
      table.rows.push_back(parse_csv_line(line));
  return table;
}

std::string AxisDisplay::label() const
{
  return unit.empty() ? name : name + " (" + unit + ")";
}

AxisDisplay display_of(const Axis& axis)
{
  const bool whole = !axis.values.empty() && std::all_of(axis.values.begin(), axis.values.end(), [](const auto& v) {
    const double* d = std::get_if<double>(&v);
    return d && std::floor(*d) == *d;
  });
  switch (axis.kind) {
  case AxisKind::LinkBandwidth:
    return {8e-6, "Mbit/s", axis.name};
  case AxisKind::LinkLatency:
    return {1e3, "ms", axis.name};
  case AxisKind::HostSpeed:
    return {1e-9, "GFLOP/s per core", axis.name};
  case AxisKind::DeviceCount:
    return {1, "", axis.name, true};
  case AxisKind::Scenario:
    return {1, "", axis.name, whole};
  default:
    return {1, "", axis.name};
  }
}

std::string value_text(const Axis& axis, const std::string& csv_text)
{
  const auto number = parse_number(csv_text);
  return number ? fmt::format("{:.4g}", *number * display_of(axis).factor) : csv_text;
}

std::string describe_value(const Axis& axis, const std::string& csv_text)
{
  const AxisDisplay display = display_of(axis);
  return axis.name + " = " + value_text(axis, csv_text) +
         (display.unit.empty() || !parse_number(csv_text) ? "" : " " + display.unit);
}

std::string title_expression(const std::string& title, const std::vector<std::string>& fixed, size_t width)
{
  std::vector<std::string> lines{title};
  std::string line;
  for (const auto& part : fixed) {
    if (!line.empty() && line.size() + part.size() + 2 > width) {
      lines.push_back(line + ",");
      line.clear();
    }
    line += (line.empty() ? "" : ", ") + part;
  }
  if (!line.empty())
    lines.push_back(line);
  std::string expression;
  for (const auto& text : lines)
    expression += (expression.empty() ? "" : " . \"\\n\" . ") + gnuplot_string(text);
  return expression;
}

} // namespace pipesplit::analysis

namespace pipesplit::analysis {

double numeric_value(const Axis& axis, const std::string& text)
{
  if (const auto value = parse_number(text))
    return *value;
  throw InputError("plot", axis.name, fmt::format("'{}' is not a number: plot names with --series or --fix", text));
}

size_t GridAxis::index(double v) const
{
  return static_cast<size_t>(std::find(values.begin(), values.end(), v) - values.begin());
}

std::pair<double, double> GridAxis::cell(size_t i) const
{
  auto middle     = [&](double a, double b) { return log ? std::sqrt(a * b) : (a + b) / 2; };
  const double v  = values[i];
  const double lo = i == 0 ? (log ? v / std::sqrt(values[1] / v) : v - (values[1] - v) / 2) : middle(values[i - 1], v);
  const double hi = i + 1 == values.size() ? (log ? v * std::sqrt(v / values[i - 1]) : v + (v - values[i - 1]) / 2)
                                           : middle(v, values[i + 1]);
  return {lo, hi};
}

std::string GridAxis::range(char name) const
{
  return fmt::format("set {}range [{:.10g}:{:.10g}]\n", name, cell(0).first, cell(values.size() - 1).second);
}

std::string GridAxis::tics(char name, bool integer) const
{
  if (!integer || values.size() > 20)
    return "";
  std::string list;
  for (const double v : values)
    list += fmt::format("{}{:g}", list.empty() ? "" : ", ", v);
  return fmt::format("set {0}tics ({1})\nset m{0}tics 1\n", name, list);
}

} // namespace pipesplit::analysis
