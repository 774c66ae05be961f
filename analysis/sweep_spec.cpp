#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "core/yaml_field.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

namespace pipesplit::analysis {

namespace {

// How a platform axis reads its values.
std::optional<double> parse_for(AxisKind kind, const std::string& text)
{
  switch (kind) {
  case AxisKind::LinkBandwidth:
    return parse_bandwidth(text);
  case AxisKind::LinkLatency:
    return parse_duration(text);
  case AxisKind::HostSpeed:
    return parse_speed(text);
  default:
    return parse_number(text);
  }
}

} // namespace

Axis axis_for_path(const std::string& path, const std::function<void(const std::string&)>& fail)
{
  Axis axis;
  axis.path          = path;
  axis.name          = path;
  auto platform_axis = [&](const std::string& prefix, std::initializer_list<std::pair<const char*, AxisKind>> attrs) {
    if (path.rfind(prefix, 0) != 0)
      return false;
    const std::string rest = path.substr(prefix.size());
    const auto dot         = rest.rfind('.');
    if (dot == std::string::npos || dot == 0)
      fail(fmt::format("expected {}<name or glob>.<attribute>", prefix));
    axis.pattern           = rest.substr(0, dot);
    const std::string attr = rest.substr(dot + 1);
    for (const auto& [name, kind] : attrs)
      if (attr == name) {
        axis.kind = kind;
        return true;
      }
    fail(fmt::format("unknown attribute '{}' of {}", attr, prefix));
    return false;
  };
  if (!platform_axis("platform.links.", {{"bandwidth", AxisKind::LinkBandwidth}, {"latency", AxisKind::LinkLatency}}) &&
      !platform_axis("platform.hosts.", {{"speed", AxisKind::HostSpeed}, {"speed_ratio", AxisKind::HostSpeedRatio}}))
    axis.kind = path == "device_count" ? AxisKind::DeviceCount : AxisKind::Scenario;
  switch (axis.kind) {
  case AxisKind::LinkBandwidth:
    axis.unit = "bytes/s";
    break;
  case AxisKind::LinkLatency:
    axis.unit = "s";
    break;
  case AxisKind::HostSpeed:
    axis.unit = "FLOP/s";
    break;
  default:
    break;
  }
  return axis;
}

std::optional<AxisValue> axis_value(const Axis& axis, const std::string& text)
{
  const auto number = parse_for(axis.kind, text);
  if (!number)
    return axis.kind == AxisKind::Scenario ? std::optional<AxisValue>(text) : std::nullopt; // a name: model, chain
  if (axis.kind != AxisKind::Scenario && !(*number > 0) && !(axis.kind == AxisKind::LinkLatency && *number == 0))
    return std::nullopt;
  return *number;
}

namespace {

double number_of(const Axis& axis, const YamlField& field)
{
  const auto value = parse_for(axis.kind, field.as_string());
  if (!value)
    field.fail(fmt::format("'{}' is not a value for {}", field.as_string(), axis.path));
  if (axis.kind != AxisKind::Scenario && !(*value > 0) && !(axis.kind == AxisKind::LinkLatency && *value == 0))
    field.fail(fmt::format("must be > 0, got {}", *value));
  return *value;
}

Axis read_axis(const YamlField& field)
{
  field.expect_keys({"path", "name", "values", "range"});
  Axis axis = axis_for_path(field["path"].as_line(), [&](const std::string& why) { field["path"].fail(why); });
  axis.name = field.has("name") ? field["name"].as_line() : axis.path;
  if (field.has("values") == field.has("range"))
    field.fail("give either values or range");
  if (field.has("values")) {
    const YamlField values = field["values"];
    for (size_t i = 0; i < values.size(); ++i) {
      const YamlField v = values.at(i);
      if (axis.kind == AxisKind::Scenario && !parse_for(axis.kind, v.as_string()))
        axis.values.emplace_back(v.as_line()); // a name (model, chain, ...)
      else
        axis.values.emplace_back(number_of(axis, v));
    }
  } else {
    const YamlField range = field["range"];
    range.expect_keys({"from", "to", "steps", "scale"});
    const double from = number_of(axis, range["from"]);
    const double to   = number_of(axis, range["to"]);
    const auto steps  = range["steps"].as_int();
    if (steps < 1 || steps > 100'000)
      range["steps"].fail("must be within 1..100000");
    const std::string scale = range.has("scale") ? range["scale"].as_string() : "linear";
    if (scale != "linear" && scale != "log")
      range["scale"].fail("expected linear or log");
    axis.log_scale = scale == "log";
    if (axis.log_scale && !(from > 0 && to > 0))
      range.fail("a log range needs positive bounds");
    for (int64_t i = 0; i < steps; ++i) {
      const double t = steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(steps - 1);
      axis.values.emplace_back(axis.log_scale ? from * std::pow(to / from, t) : from + (to - from) * t);
    }
  }
  if (axis.values.empty())
    field.fail("the axis has no value");
  return axis;
}

SweepPlan read_plan(const YamlField& field)
{
  field.expect_keys({"objective", "min_rate_hz", "max_latency_s", "max_energy_j", "pstates"});
  SweepPlan plan;
  plan.enabled = true;
  if (field.has("objective"))
    try {
      plan.objective = solver::parse_objective(field["objective"].as_string());
    } catch (const std::invalid_argument& e) {
      field["objective"].fail(e.what());
    }
  auto positive = [&](const char* key, bool zero_allowed) {
    const auto value = parse_number(field[key].as_string());
    if (!value || !std::isfinite(*value) || *value < 0 || (*value == 0 && !zero_allowed))
      field[key].fail(fmt::format("must be a number {} 0", zero_allowed ? ">=" : ">"));
    return *value;
  };
  if (field.has("min_rate_hz"))
    plan.min_rate_hz = positive("min_rate_hz", true);
  if (field.has("max_latency_s"))
    plan.max_latency_s = positive("max_latency_s", false);
  if (field.has("max_energy_j"))
    plan.max_energy_J = positive("max_energy_j", false);
  if (field.has("pstates")) {
    const std::string pstates = field["pstates"].as_string();
    if (pstates != "choose" && pstates != "fixed")
      field["pstates"].fail(fmt::format("expected choose or fixed, got '{}'", pstates));
    plan.choose_pstates = pstates == "choose";
  }
  return plan;
}

} // namespace

std::string to_string(const AxisValue& value)
{
  if (const auto* text = std::get_if<std::string>(&value))
    return *text;
  return fmt::format("{:.10g}", std::get<double>(value));
}

size_t SweepSpec::point_count() const
{
  size_t count = 1;
  for (const auto& axis : axes)
    count *= axis.values.size(); // bounded by read_sweep_file: at most max_sweep_points
  return count;
}

std::vector<AxisValue> SweepSpec::point(size_t index) const
{
  std::vector<AxisValue> values(axes.size());
  for (size_t a = axes.size(); a-- > 0;) {
    values[a] = axes[a].values[index % axes[a].values.size()];
    index /= axes[a].values.size();
  }
  return values;
}

bool SweepSpec::simulated(size_t index) const
{
  if (simulate.all)
    return true;
  return std::binary_search(sampled_.begin(), sampled_.end(), index);
}

// A fixed pseudo-random sample spreads over every axis (an even stride would align with the axes' periods).
void SweepSpec::choose_sample()
{
  sampled_.clear();
  const size_t count  = point_count();
  const size_t sample = std::min(count, static_cast<size_t>(std::max(0, simulate.sample)));
  std::mt19937_64 rng(20231);
  std::vector<size_t> indices(count);
  std::iota(indices.begin(), indices.end(), size_t{0});
  for (size_t i = 0; i < sample; ++i)
    std::swap(indices[i], indices[i + std::uniform_int_distribution<size_t>(0, count - i - 1)(rng)]);
  sampled_.assign(indices.begin(), indices.begin() + static_cast<std::ptrdiff_t>(sample));
  std::sort(sampled_.begin(), sampled_.end());
}

SweepSpec read_sweep_file(const std::string& path)
{
  const YamlField root = YamlField::load_file(path);
  root.expect_keys({"format", "name", "scenario", "axes", "simulate", "solver", "plan"});
  root.expect_format("pipesplit-sweep/1");
  SweepSpec spec;
  spec.file = path;
  spec.name = root.has("name") ? root["name"].as_string() : std::filesystem::path(path).stem().string();
  const std::string scenario = root["scenario"].as_string();
  spec.scenario              = std::filesystem::path(scenario).is_absolute()
                                   ? scenario
                                   : (std::filesystem::path(path).parent_path() / scenario).lexically_normal().string();
  const YamlField axes       = root["axes"];
  size_t points              = 1;
  for (size_t i = 0; i < axes.size(); ++i) {
    spec.axes.push_back(read_axis(axes.at(i)));
    points *= spec.axes.back().values.size(); // <= 1e7 x 1e5 before the check: no overflow
    if (points > max_sweep_points)
      axes.at(i).fail(fmt::format("the axes so far make {} points, over the limit of {}", points, max_sweep_points));
  }
  if (spec.axes.empty())
    axes.fail("list at least one axis");
  if (root.has("simulate")) {
    const YamlField sim = root["simulate"];
    sim.expect_keys({"all", "sample", "network", "inferences", "warmup", "cfg"});
    if (sim.has("all"))
      spec.simulate.all = sim["all"].as_bool();
    auto bounded = [](const YamlField& field, int64_t low, int64_t high) {
      const int64_t value = field.as_int();
      if (value < low || value > high)
        field.fail(fmt::format("must be an integer within {}..{}, got {}", low, high, value));
      return static_cast<int>(value);
    };
    if (sim.has("sample"))
      spec.simulate.sample = bounded(sim["sample"], 0, static_cast<int64_t>(max_sweep_points));
    if (sim.has("network"))
      spec.simulate.network = sim["network"].as_string();
    if (sim.has("inferences"))
      spec.simulate.inferences = bounded(sim["inferences"], 1, 100'000'000);
    if (sim.has("warmup"))
      spec.simulate.warmup = bounded(sim["warmup"], 0, 100'000'000);
    if (sim.has("cfg"))
      for (size_t i = 0; i < sim["cfg"].size(); ++i) {
        const YamlField item = sim["cfg"].at(i);
        if (item.as_line().find(':') == std::string::npos)
          item.fail("expected ITEM:VALUE, as network/bandwidth-factor:0.9");
        spec.simulate.cfg.push_back(item.as_line());
      }
  }
  if (root.has("solver")) {
    const YamlField solver = root["solver"];
    solver.expect_keys({"node_limit"});
    spec.node_limit = solver["node_limit"].as_int();
    if (spec.node_limit < 1)
      solver["node_limit"].fail("must be >= 1");
  }
  if (root.has("plan"))
    spec.plan = read_plan(root["plan"]);
  spec.choose_sample();
  return spec;
}

} // namespace pipesplit::analysis
