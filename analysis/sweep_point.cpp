#include "sweep_point.hpp"
#include "acceleration_region.hpp"
#include "contention_solver.hpp"
#include "error.hpp"
#include "model_file.hpp"
#include "placement.hpp"
#include "platform_loader.hpp"
#include "replay.hpp"
#include "scenario.hpp"
#include "solver.hpp"
#include "yaml_util.hpp"

#include <fmt/format.h>

#include <fnmatch.h>

namespace pipesplit::analysis {

std::vector<std::string> sweep_columns(const SweepSpec& spec)
{
  std::vector<std::string> columns{"index"};
  for (const auto& axis : spec.axes)
    columns.push_back(axis.name);
  for (const char* column :
       {"single_device", "single_period_s", "period_s", "throughput_ips", "latency_s", "speedup", "stages", "placement",
        "optimal", "bottleneck", "cf_one_cut_helps", "cf_network_allows", "cf_one_cut_speedup", "cf_network_speedup",
        "cf_speedup_bound", "sim_period_s", "sim_speedup", "sim_error"})
    columns.emplace_back(column);
  return columns;
}

static std::string number(double value)
{
  return fmt::format("{:.10g}", value);
}

SweepEvaluator::SweepEvaluator(const SweepSpec& spec) : spec_(spec)
{
  base_                   = YamlField::load_file(spec.scenario).node();
  const Scenario scenario = parse_scenario(base_, spec.scenario);
  base_devices_           = scenario.devices;
  platform(scenario.platform_file);
  model(scenario.model, scenario.model_resolution);
}

const Platform& SweepEvaluator::platform(const std::string& file)
{
  auto it = platforms_.find(file);
  if (it == platforms_.end())
    it = platforms_.emplace(file, sim::load_platform_view(file)).first;
  return it->second;
}

const Model& SweepEvaluator::model(const std::string& name, int resolution)
{
  const std::string key = fmt::format("{}@{}", name, resolution);
  auto it               = models_.find(key);
  if (it == models_.end())
    it = models_.emplace(key, load_model(name, resolution)).first;
  return it->second;
}

// Set a dotted path of the scenario document (creating maps on the way).
static void set_path(YAML::Node node, const std::string& path, const AxisValue& value)
{
  const auto dot = path.find('.');
  if (dot == std::string::npos) {
    node[path] = to_string(value);
    return;
  }
  set_path(node[path.substr(0, dot)], path.substr(dot + 1), value);
}

static void apply_platform_axis(const Axis& axis, double value, Platform& platform, const std::string& sweep_file)
{
  bool matched = false;
  auto matches = [&](const std::string& name) { return fnmatch(axis.pattern.c_str(), name.c_str(), 0) == 0; };
  if (axis.kind == AxisKind::LinkBandwidth || axis.kind == AxisKind::LinkLatency) {
    for (auto& link : platform.links)
      if (matches(link.name)) {
        matched                                                                      = true;
        (axis.kind == AxisKind::LinkBandwidth ? link.bandwidth_Bps : link.latency_s) = value;
      }
  } else {
    for (auto& host : platform.hosts)
      if (matches(host.name)) {
        matched               = true;
        host.core_speed_flops = axis.kind == AxisKind::HostSpeed ? value : host.core_speed_flops * value;
      }
  }
  if (!matched)
    throw InputError(sweep_file, axis.path, fmt::format("'{}' matches nothing in {}", axis.pattern, platform.file));
}

std::vector<std::string> SweepEvaluator::evaluate(size_t index)
{
  const auto values   = spec_.point(index);
  YAML::Node document = YAML::Clone(base_);
  for (size_t a = 0; a < spec_.axes.size(); ++a) {
    const Axis& axis = spec_.axes[a];
    if (axis.kind == AxisKind::Scenario)
      set_path(document, axis.path, values[a]);
    if (axis.kind == AxisKind::DeviceCount) {
      const auto count = static_cast<size_t>(std::get<double>(values[a]));
      if (count < 1 || count > base_devices_.size())
        throw InputError(spec_.file, axis.path,
                         fmt::format("{} devices asked, the scenario lists {}", count, base_devices_.size()));
      document["devices"] = std::vector<std::string>(base_devices_.begin(), base_devices_.begin() + count);
    }
  }
  const Scenario scenario = parse_scenario(document, spec_.scenario);
  Platform view           = platform(scenario.platform_file);
  for (size_t a = 0; a < spec_.axes.size(); ++a)
    if (spec_.axes[a].kind != AxisKind::Scenario && spec_.axes[a].kind != AxisKind::DeviceCount)
      apply_platform_axis(spec_.axes[a], std::get<double>(values[a]), view, spec_.file);
  view.finalize();
  const Problem problem = make_problem(scenario, std::move(view), model(scenario.model, scenario.model_resolution));

  SolveOptions options;
  options.node_limit = spec_.node_limit;
  // Under lv08, plans and figures come from the schedule (contention_solver.hpp), as in `pipesplit solve`.
  const ScheduleOptions window{scenario.simulation.warmup, scenario.simulation.inferences};
  const SolveResult solved = solve_with_contention(problem, options, {window});
  const SolveResult single = best_single_device_with_contention(problem, window);
  const auto region        = acceleration_region(problem);

  std::vector<std::string> row{std::to_string(index)};
  for (const auto& value : values)
    row.push_back(to_string(value));
  if (!solved.feasible || !single.feasible) {
    row.resize(sweep_columns(spec_).size());
    row[1 + spec_.axes.size() + 7] = "infeasible"; // the placement column
    return row;
  }
  const Prediction& p  = solved.prediction;
  const double speedup = single.prediction.period_s / p.period_s;
  for (const std::string& cell : std::vector<std::string>{
           problem.host(single.placement.stages[0].device).name, number(single.prediction.period_s), number(p.period_s),
           number(p.throughput_ips), number(p.latency_s), number(speedup),
           std::to_string(solved.placement.stages.size()), to_string(solved.placement, problem.platform),
           solved.optimal ? "yes" : "no", p.bottleneck.kind + " " + p.bottleneck.name, region.helps_two_way ? "1" : "0",
           region.network_allows ? "1" : "0", number(region.two_way_speedup),
           number(region.single_period / region.tau_min), number(region.speedup_bound)})
    row.push_back(cell);
  if (spec_.simulated(index)) {
    sim::ReplayOptions replay;
    replay.network               = parse_network_model(spec_.simulate.network);
    replay.inferences            = spec_.simulate.inferences;
    replay.warmup                = spec_.simulate.warmup;
    Problem simulated            = problem;
    simulated.deployment.network = replay.network;
    Placement placement          = solved.placement;
    const auto prediction        = predict_with_contention(simulated, placement, predict(simulated, placement),
                                                           {replay.warmup, replay.inferences});
    const auto result            = sim::replay_in_child(simulated, placement, prediction, replay);
    row.push_back(number(result.period_s));
    row.push_back(number(single.prediction.period_s / result.period_s));
    row.push_back(number((result.period_s - prediction.period_s) / prediction.period_s));
  } else {
    row.insert(row.end(), 3, "");
  }
  return row;
}

} // namespace pipesplit::analysis
