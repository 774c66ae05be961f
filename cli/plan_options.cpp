#include "cli/plan_options.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>

namespace po = boost::program_options;

namespace pipesplit::cli {

using namespace solver;

void add_plan_options(po::options_description& options, PlanFlags& flags)
{
  options.add_options()("objective", po::value(&flags.objective),
                        "throughput (default), devices, cost (host property 'cost'), latency or energy")(
      "min-rate", po::value(&flags.min_rate_hz),
      "inferences/s the placement must sustain (default: the scenario's camera rate, if any; 0: none)")(
      "max-latency", po::value(&flags.max_latency_s), "seconds one input may take through an idle pipeline")(
      "max-energy", po::value(&flags.max_energy_J), "joules per inference, every host and link of the platform")(
      "pstates", po::value(&flags.pstates),
      "choose (default: the energy and cost objectives pick each device's pstate) or fixed (the platform's)");
}

std::optional<PlanRequest> plan_request(const PlanFlags& flags, const Problem& problem, double time_limit_s)
{
  PlanRequest request;
  try {
    request.objective = parse_objective(flags.objective);
  } catch (const std::invalid_argument& e) {
    throw InputError("command line", "--objective", e.what());
  }
  const double camera = problem.deployment.source_rate_hz;
  if (flags.min_rate_hz != -1 && !(flags.min_rate_hz >= 0 && std::isfinite(flags.min_rate_hz)))
    throw InputError("command line", "--min-rate", "must be >= 0 inferences/s");
  if (flags.max_latency_s != -1 && !(flags.max_latency_s > 0))
    throw InputError("command line", "--max-latency", "must be > 0 seconds");
  if (flags.max_energy_J != -1 && !(flags.max_energy_J > 0))
    throw InputError("command line", "--max-energy", "must be > 0 joules per inference");
  if (flags.max_energy_J > 0 && !declares_power(problem.platform))
    throw InputError(problem.platform.file, "wattage_per_state",
                     "--max-energy needs power figures: the platform declares none (see the README, \"Energy\")");
  const bool explicit_constraint = flags.min_rate_hz > 0 || flags.max_latency_s > 0 || flags.max_energy_J > 0;
  if (request.objective == Objective::Throughput && !explicit_constraint)
    return std::nullopt;
  request.constraints.min_rate_hz = flags.min_rate_hz >= 0 ? flags.min_rate_hz : camera;
  if (flags.max_latency_s > 0)
    request.constraints.max_latency_s = flags.max_latency_s;
  if (flags.max_energy_J > 0)
    request.constraints.max_energy_J = flags.max_energy_J;
  if (flags.pstates != "choose" && flags.pstates != "fixed")
    throw InputError("command line", "--pstates", fmt::format("expected choose or fixed, got '{}'", flags.pstates));
  request.choose_pstates = flags.pstates == "choose";
  request.time_limit_s   = time_limit_s;
  return request;
}

void apply_pstates(Problem& problem, const PlanResult& planned)
{
  if (!planned.pstates.empty())
    problem = at_pstates(problem, planned.pstates);
}

SolveResult as_solve_result(const PlanResult& planned)
{
  SolveResult result;
  result.feasible       = planned.feasible;
  result.placement      = planned.placement;
  result.prediction     = planned.prediction;
  result.optimal        = planned.optimal;
  result.solver         = "plan";
  result.nodes_expanded = planned.nodes;
  result.wall_s         = planned.wall_s;
  result.lower_bound_s  = planned.prediction.period_s;
  result.note           = planned.note;
  return result;
}

static std::string objective_figure(Objective objective, const Figures& f)
{
  switch (objective) {
  case Objective::Throughput:
    return fmt::format("{:.4g} inferences/s", 1 / f.period_s);
  case Objective::Devices:
    return fmt::format("{} device{}", f.devices, f.devices == 1 ? "" : "s");
  case Objective::Cost:
    return fmt::format("cost {:g}", f.cost);
  case Objective::Latency:
    return format_seconds(f.latency_s);
  case Objective::Energy:
    return fmt::format("{:.4g} J per inference", f.energy_J);
  }
  return "";
}

void print_plan_summary(std::ostream& out, const Problem& problem, const Placement& placement,
                        const Prediction& prediction, const PlanRequest* request, const PlanResult* planned)
{
  const EnergyPrediction energy = predict_energy(problem, placement, prediction);
  const Figures f               = figures_of(problem, placement, prediction, energy);
  if (request)
    out << fmt::format("objective    {}: {}; constraints: {}\n", to_string(request->objective),
                       objective_figure(request->objective, f), request->constraints.describe());
  if (planned)
    out << (planned->optimal        ? std::string("proof        proven optimal (exhaustive branch and bound)\n")
            : planned->value_proven ? std::string("proof        objective proven optimal; the time limit stopped the "
                                                  "tie-breaks among the placements reaching it\n")
                                    : fmt::format("proof        not proven: gap {:.2f}% to the bound {:g}\n",
                                                  100 * planned->gap, planned->lower_bound));
  out << fmt::format("headroom     {:.4g} inferences/s (the highest rate this placement sustains)\n",
                     headroom_ips(problem, placement));
  out << fmt::format("devices      {}, cost {:g}\n", f.devices, f.cost);
  std::string pstates;
  for (int device : problem.devices) {
    const HostInfo& host = problem.host(device);
    if (host.pstate_speeds.size() > 1)
      pstates += fmt::format("{}{} {} of {} ({:.4g} GFLOP/s per core)", pstates.empty() ? "" : ", ", host.name,
                             host.pstate, host.pstate_speeds.size(), host.core_speed_flops / 1e9);
  }
  if (!pstates.empty())
    out << "pstates      " << pstates << '\n';
  if (!energy.declared)
    return;
  out << fmt::format("energy       {:.4g} J per inference, {:.4g} W on average (predicted)\n", energy.energy_J,
                     energy.power_W);
  std::string power;
  for (const auto& d : energy.devices)
    power += fmt::format("{}{} {:.3g} W{}", power.empty() ? "" : ", ", d.name, d.power_W, d.on ? "" : " (off)");
  for (const auto& l : energy.links)
    power += fmt::format(", {} {:.3g} W", l.name, l.power_W);
  out << "power        " << power << '\n';
}

static nlohmann::json energy_json(const EnergyPrediction& energy)
{
  nlohmann::json out = {{"per_inference_J", energy.energy_J}, {"power_W", energy.power_W}};
  out["devices"]     = nlohmann::json::array();
  for (const auto& d : energy.devices)
    out["devices"].push_back({{"name", d.name},
                              {"on", d.on},
                              {"pstate", d.pstate},
                              {"busy_s", d.busy_s},
                              {"energy_J", d.energy_J},
                              {"power_W", d.power_W}});
  out["links"] = nlohmann::json::array();
  for (const auto& l : energy.links)
    out["links"].push_back({{"name", l.name}, {"busy_s", l.busy_s}, {"energy_J", l.energy_J}, {"power_W", l.power_W}});
  return out;
}

nlohmann::json plan_summary_json(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                 const PlanRequest* request, const PlanResult* planned)
{
  const EnergyPrediction energy = predict_energy(problem, placement, prediction);
  const Figures f               = figures_of(problem, placement, prediction, energy);
  nlohmann::json out            = {{"objective", request ? to_string(request->objective) : "throughput"},
                                   {"headroom_ips", headroom_ips(problem, placement)},
                                   {"devices_used", f.devices},
                                   {"cost", f.cost},
                                   {"pstates", nlohmann::json::object()}};
  for (int device : problem.devices)
    out["pstates"][problem.host(device).name] = problem.host(device).pstate;
  const double none   = std::numeric_limits<double>::infinity();
  const Constraints c = request ? request->constraints : Constraints{};
  out["constraints"]  = {{"min_rate_hz", c.min_rate_hz > 0 ? nlohmann::json(c.min_rate_hz) : nullptr},
                         {"max_latency_s", c.max_latency_s < none ? nlohmann::json(c.max_latency_s) : nullptr},
                         {"max_energy_J", c.max_energy_J < none ? nlohmann::json(c.max_energy_J) : nullptr}};
  if (planned) {
    out["objective_value"]       = objective_value(request->objective, planned->figures);
    out["objective_lower_bound"] = planned->lower_bound;
    out["objective_gap"]         = planned->gap;
  }
  out["energy"] = energy.declared ? energy_json(energy) : nlohmann::json(nullptr);
  return out;
}

void print_energy_comparison(std::ostream& out, const EnergyPrediction& predicted, const sim::ReplayResult& replay)
{
  if (!predicted.declared || !replay.energy_measured)
    return;
  out << fmt::format("\nenergy per inference  {:.4g} J predicted, {:.4g} J simulated ({:+.2f}%)\n", predicted.energy_J,
                     replay.energy_per_inference_J, 100 * (replay.energy_per_inference_J / predicted.energy_J - 1));
  out << fmt::format("{:<24} {:>12} {:>12}\n", "power (W)", "predicted", "simulated");
  auto simulated = [&](const std::string& name) {
    for (const auto& e : replay.energy)
      if (e.name == name)
        return e.power_W;
    return 0.0;
  };
  for (const auto& d : predicted.devices)
    out << fmt::format("{:<24} {:>12.4g} {:>12.4g}\n", "device " + d.name + (d.on ? "" : " (off)"), d.power_W,
                       simulated(d.name));
  for (const auto& l : predicted.links)
    out << fmt::format("{:<24} {:>12.4g} {:>12.4g}\n", "link " + l.name, l.power_W, simulated(l.name));
}

std::string energy_comparison_markdown(const EnergyPrediction& predicted, const sim::ReplayResult& replay)
{
  if (!predicted.declared || !replay.energy_measured)
    return "";
  std::string md = "\n## Energy\n\nAs SimGrid's host and link energy plugins account for it (platform properties "
                   "`wattage_per_state`, `wattage_off`, `wattage_range`); unused devices are switched off.\n\n"
                   "| figure | predicted | simulated |\n|---|---|---|\n";
  md += fmt::format("| energy per inference | {:.4g} J | {:.4g} J |\n", predicted.energy_J,
                    replay.energy_per_inference_J);
  md += fmt::format("| average power | {:.4g} W | {:.4g} W |\n", predicted.power_W, replay.power_W);
  auto simulated = [&](const std::string& name) {
    for (const auto& e : replay.energy)
      if (e.name == name)
        return e.power_W;
    return 0.0;
  };
  for (const auto& d : predicted.devices)
    md += fmt::format("| power of device {}{} | {:.4g} W | {:.4g} W |\n", d.name, d.on ? "" : " (off)", d.power_W,
                      simulated(d.name));
  for (const auto& l : predicted.links)
    md += fmt::format("| power of link {} | {:.4g} W | {:.4g} W |\n", l.name, l.power_W, simulated(l.name));
  return md;
}

} // namespace pipesplit::cli
