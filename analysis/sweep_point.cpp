#include "analysis/sweep_point.hpp"
#include "analysis/acceleration_region.hpp"
#include "analysis/axis_apply.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"
#include "cost/energy.hpp"
#include "cost/placement.hpp"
#include "models/model_file.hpp"
#include "scenario/scenario.hpp"
#include "sim/platform_loader.hpp"
#include "sim/replay.hpp"
#include "solver/contention_solver.hpp"
#include "solver/objective_search.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace pipesplit::analysis {

// What one point's result columns are made of.
struct PointFigures {
  const Problem& problem;
  const SolveResult& solved;
  const SolveResult& single;
  const RegionVerdict& region;
  std::optional<sim::ReplayResult> replay; // sampled points only
  double replay_predicted_period_s = 0;    // the prediction the replay is compared with

  double speedup() const { return single.prediction.period_s / solved.prediction.period_s; }
};

namespace {

std::string number(double value)
{
  return fmt::format("{:.10g}", value);
}

// The result columns, after the index and the axes: name, cell, and the cell of an infeasible point. One table, so
// that the header and the cells cannot drift apart.
struct Column {
  const char* name;
  std::string (*cell)(const PointFigures&);
  const char* infeasible = "";
};

const Column result_columns[] = {
    {"single_device", [](const PointFigures& f) { return f.problem.host(f.single.placement.stages[0].device).name; }},
    {"single_period_s", [](const PointFigures& f) { return number(f.single.prediction.period_s); }},
    {"period_s", [](const PointFigures& f) { return number(f.solved.prediction.period_s); }},
    {"throughput_ips", [](const PointFigures& f) { return number(f.solved.prediction.throughput_ips); }},
    {"latency_s", [](const PointFigures& f) { return number(f.solved.prediction.latency_s); }},
    {"speedup", [](const PointFigures& f) { return number(f.speedup()); }},
    {"stages", [](const PointFigures& f) { return std::to_string(f.solved.placement.stages.size()); }},
    {"placement", [](const PointFigures& f) { return to_string(f.solved.placement, f.problem.platform); },
     "infeasible"},
    {"optimal", [](const PointFigures& f) { return std::string(f.solved.optimal ? "yes" : "no"); }},
    {"gap", [](const PointFigures& f) { return number(f.solved.gap); }}, // proven: (period - lower bound) / period
    {"bottleneck", [](const PointFigures& f) { return f.solved.prediction.bottleneck.label(); }},
    {"cf_one_cut_helps", [](const PointFigures& f) { return std::string(f.region.helps_two_way ? "1" : "0"); }},
    {"cf_network_allows", [](const PointFigures& f) { return std::string(f.region.network_allows ? "1" : "0"); }},
    {"cf_one_cut_speedup", [](const PointFigures& f) { return number(f.region.two_way_speedup); }},
    {"cf_network_speedup", [](const PointFigures& f) { return number(f.region.single_period / f.region.tau_min); }},
    {"cf_speedup_bound", [](const PointFigures& f) { return number(f.region.speedup_bound); }},
    {"sim_period_s", [](const PointFigures& f) { return f.replay ? number(f.replay->period_s) : ""; }},
    {"sim_speedup",
     [](const PointFigures& f) { return f.replay ? number(f.single.prediction.period_s / f.replay->period_s) : ""; }},
    {"sim_error",
     [](const PointFigures& f) {
       return f.replay ? number((f.replay->period_s - f.replay_predicted_period_s) / f.replay_predicted_period_s) : "";
     }},
};

// The planning question's columns (sweeps with a `plan` section): what was asked, then the answer as
// `solve --objective` gives it. The answer's cells are empty when no placement meets the constraints.
struct PlanFigures {
  const Problem& problem;
  const solver::PlanRequest& request;
  const solver::PlanResult& result;
};

struct PlanColumn {
  const char* name;
  std::string (*cell)(const PlanFigures&);
  bool answer = true; // empty without a placement
};

std::string limit(double value)
{
  return std::isfinite(value) ? number(value) : "";
}

const PlanColumn plan_columns[] = {
    {"objective", [](const PlanFigures& f) { return solver::to_string(f.request.objective); }, false},
    {"min_rate_hz", [](const PlanFigures& f) { return number(f.request.constraints.min_rate_hz); }, false},
    {"max_latency_s", [](const PlanFigures& f) { return limit(f.request.constraints.max_latency_s); }, false},
    {"max_energy_J", [](const PlanFigures& f) { return limit(f.request.constraints.max_energy_J); }, false},
    {"plan_placement",
     [](const PlanFigures& f) {
       return f.result.feasible  ? to_string(f.result.placement, f.problem.platform)
              : f.result.optimal ? std::string("infeasible")
                                 : std::string("not found");
     },
     false},
    {"plan_devices", [](const PlanFigures& f) { return std::to_string(f.result.figures.devices); }},
    {"plan_cost", [](const PlanFigures& f) { return number(f.result.figures.cost); }},
    {"plan_period_s", [](const PlanFigures& f) { return number(f.result.figures.period_s); }},
    {"plan_throughput_ips", [](const PlanFigures& f) { return number(1 / f.result.figures.period_s); }},
    {"plan_latency_s", [](const PlanFigures& f) { return number(f.result.figures.latency_s); }},
    {"plan_energy_J", [](const PlanFigures& f) { return number(f.result.figures.energy_J); }},
    {"plan_headroom_ips", [](const PlanFigures& f) { return number(f.result.headroom_ips); }},
    {"plan_value", [](const PlanFigures& f) { return number(objective_value(f.request.objective, f.result.figures)); }},
    {"plan_lower_bound", [](const PlanFigures& f) { return number(f.result.lower_bound); }},
    {"plan_gap", [](const PlanFigures& f) { return number(f.result.gap); }},
    {"plan_proven",
     [](const PlanFigures& f) {
       return std::string(f.result.optimal ? "yes" : f.result.value_proven ? "value" : "no");
     }},
    {"plan_pstates",
     [](const PlanFigures& f) {
       std::string text;
       for (size_t h = 0; h < f.result.pstates.size(); ++h)
         if (f.problem.platform.hosts[h].pstate_speeds.size() > 1)
           text +=
               fmt::format("{}{}:{}", text.empty() ? "" : " ", f.problem.platform.hosts[h].name, f.result.pstates[h]);
       return text;
     }},
};

} // namespace

std::vector<std::string> sweep_columns(const SweepSpec& spec)
{
  std::vector<std::string> columns{"index"};
  for (const auto& axis : spec.axes)
    columns.push_back(axis.name);
  for (const Column& column : result_columns)
    columns.emplace_back(column.name);
  if (spec.plan.enabled)
    for (const PlanColumn& column : plan_columns)
      columns.emplace_back(column.name);
  return columns;
}

solver::PlanRequest sweep_plan_request(const SweepSpec& spec, const Problem& problem)
{
  solver::PlanRequest request;
  request.objective = spec.plan.objective;
  request.constraints.min_rate_hz =
      spec.plan.min_rate_hz >= 0 ? spec.plan.min_rate_hz : problem.deployment.source_rate_hz;
  if (spec.plan.max_latency_s > 0)
    request.constraints.max_latency_s = spec.plan.max_latency_s;
  if (spec.plan.max_energy_J > 0)
    request.constraints.max_energy_J = spec.plan.max_energy_J;
  request.choose_pstates = spec.plan.choose_pstates;
  request.node_limit     = spec.node_limit;
  return request;
}

SweepEvaluator::SweepEvaluator(const SweepSpec& spec) : spec_(spec)
{
  base_                   = YamlField::load_file(spec.scenario).node();
  const Scenario scenario = parse_scenario(base_, spec.scenario);
  base_devices_           = scenario.devices;
  if (spec.plan.max_energy_J > 0 && !declares_power(platform(scenario.platform_file)))
    throw InputError(spec.file, "plan.max_energy_j",
                     "needs power figures: the scenario's platform declares none (see the README, \"Energy\")");
  model(scenario.model, scenario.model_resolution);
}

// The scenario of a point: its file with the point's values of the axes that edit it. Points that differ only in
// platform axes share it, parsed once (at most a thousand kept: a sweep walks its grid in order).
const Scenario& SweepEvaluator::scenario(const std::vector<AxisValue>& values)
{
  std::string key;
  for (size_t a = 0; a < spec_.axes.size(); ++a)
    if (spec_.axes[a].kind == AxisKind::Scenario || spec_.axes[a].kind == AxisKind::DeviceCount)
      key += to_string(values[a]) + '\x1f';
  if (auto it = scenarios_.find(key); it != scenarios_.end())
    return it->second;
  YAML::Node document = YAML::Clone(base_);
  for (size_t a = 0; a < spec_.axes.size(); ++a)
    apply_document_axis(document, spec_.axes[a], values[a], base_devices_, spec_.file);
  if (scenarios_.size() >= 1000)
    scenarios_.clear();
  return scenarios_.emplace(key, parse_scenario(document, spec_.scenario)).first->second;
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

// The chain is the same at every point of a model: built once, not once per point (it validates the whole model).
const Chain& SweepEvaluator::chain(const std::string& model_name, int resolution, ChainMode mode)
{
  const std::string key = fmt::format("{}@{}/{}", model_name, resolution, static_cast<int>(mode));
  auto it               = chains_.find(key);
  if (it == chains_.end())
    it = chains_.emplace(key, build_chain(model(model_name, resolution), mode)).first;
  return it->second;
}

std::vector<std::string> SweepEvaluator::evaluate(size_t index)
{
  const auto values        = spec_.point(index);
  const Scenario& scenario = this->scenario(values);
  Platform view            = platform(scenario.platform_file);
  for (size_t a = 0; a < spec_.axes.size(); ++a)
    if (spec_.axes[a].kind != AxisKind::Scenario && spec_.axes[a].kind != AxisKind::DeviceCount)
      apply_platform_axis(spec_.axes[a], std::get<double>(values[a]), view, spec_.file);
  view.finalize();
  const Problem problem = make_problem(scenario, std::move(view), model(scenario.model, scenario.model_resolution),
                                       chain(scenario.model, scenario.model_resolution, scenario.chain));

  SolveOptions options;
  options.node_limit = spec_.node_limit;
  // Under lv08, plans and figures come from the schedule (contention_solver.hpp), as in `pipesplit solve`.
  const ScheduleOptions window{scenario.simulation.warmup, scenario.simulation.inferences};
  const SearchSpace space(problem); // stage times, paths and symmetry: made once for the three questions
  const SolveResult solved = solve_with_contention(space, options, {window});
  const SolveResult single = best_single_device_with_contention(space, window);
  const auto region        = acceleration_region(space);

  PointFigures figures{problem, solved, single, region, std::nullopt, 0};
  const bool feasible = solved.feasible && single.feasible;
  if (feasible && spec_.simulated(index))
    simulate(problem, solved.placement, figures);
  std::vector<std::string> row{std::to_string(index)};
  for (const auto& value : values)
    row.push_back(to_string(value));
  for (const Column& column : result_columns)
    row.push_back(feasible ? column.cell(figures) : column.infeasible);
  if (spec_.plan.enabled) {
    const solver::PlanRequest request = sweep_plan_request(spec_, problem);
    const solver::PlanResult planned  = solver::plan(problem, request);
    const PlanFigures plan_figures{problem, request, planned};
    for (const PlanColumn& column : plan_columns)
      row.push_back(planned.feasible || !column.answer ? column.cell(plan_figures) : "");
  }
  return row;
}

// The replay of a sampled point, under the sweep's network model, against the prediction under that model.
void SweepEvaluator::simulate(const Problem& problem, const Placement& placement, PointFigures& figures) const
{
  sim::ReplayOptions replay;
  replay.network               = parse_network_model(spec_.simulate.network);
  replay.inferences            = spec_.simulate.inferences;
  replay.warmup                = spec_.simulate.warmup;
  replay.configuration         = spec_.simulate.cfg;
  Problem simulated            = problem;
  simulated.deployment.network = replay.network;
  const auto prediction =
      predict_with_contention(simulated, placement, predict(simulated, placement), {replay.warmup, replay.inferences});
  figures.replay                    = sim::replay_in_child(simulated, placement, prediction, replay);
  figures.replay_predicted_period_s = prediction.period_s;
}

} // namespace pipesplit::analysis
