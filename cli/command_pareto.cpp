// pipesplit pareto SCENARIO --axes throughput,latency,devices,energy --out DIR: every non-dominated placement, as
// front.csv, front.json and front.png (2-D projections with the front highlighted).

#include "analysis/pareto_plot.hpp"
#include "cli/command.hpp"
#include "cli/plan_options.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/provenance.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/objective_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace pipesplit::cli {

using namespace solver;

static std::vector<Axis> parse_axes(const std::string& text)
{
  std::vector<Axis> axes;
  std::stringstream list(text);
  for (std::string item; std::getline(list, item, ',');) {
    try {
      const Axis axis = parse_axis(item);
      if (std::find(axes.begin(), axes.end(), axis) != axes.end())
        throw InputError("command line", "--axes", fmt::format("'{}' is listed twice", item));
      axes.push_back(axis);
    } catch (const std::invalid_argument& e) {
      throw InputError("command line", "--axes", e.what());
    }
  }
  if (axes.size() < 2)
    throw InputError("command line", "--axes", "needs at least two axes, comma-separated");
  return axes;
}

static const char* csv_header = "placement,throughput_ips,period_s,latency_s,devices,energy_J,cost,stages,proven,"
                                "bound_throughput_ips,bound_latency_s,bound_devices,bound_energy_J,bound_cost";

static const Axis every_axis[] = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy, Axis::Cost};

// A value on an axis as the outputs write it: throughput in inferences/s (the search's period inverted).
static double shown(Axis axis, double value)
{
  return axis == Axis::Throughput ? 1 / value : value;
}

// The point's bound on each axis (empty for axes not on the front): the best value a placement dominating it can have.
static std::string csv_bounds(const std::vector<Axis>& axes, const FrontPoint& p)
{
  std::string out;
  for (Axis axis : every_axis) {
    const auto it = std::find(axes.begin(), axes.end(), axis);
    out += it == axes.end() ? "," : fmt::format(",{:.9g}", shown(axis, p.bound[it - axes.begin()]));
  }
  return out;
}

static std::string csv_row(const std::vector<Axis>& axes, const FrontPoint& p)
{
  const Figures& f = p.figures;
  return fmt::format("\"{}\",{:.9g},{:.9g},{:.9g},{},{:.9g},{:.9g},{},{}", f.text, 1 / f.period_s, f.period_s,
                     f.latency_s, f.devices, f.energy_J, f.cost, f.stages, p.proven ? "yes" : "no") +
         csv_bounds(axes, p);
}

// Stopped early: what the placements the search did not reach can reach at best, per axis.
static std::string unexplored_line(const std::vector<Axis>& axes, const PlanResult& result)
{
  std::string line = "bound        placements not reached have";
  for (size_t a = 0; a < axes.size(); ++a)
    line += fmt::format("{} {} {} {:.6g}", a ? "," : "", to_string(axes[a]),
                        axes[a] == Axis::Throughput ? "<=" : ">=", shown(axes[a], result.unexplored_bound[a]));
  size_t proven = 0;
  for (const auto& p : result.front)
    proven += p.proven;
  return line + fmt::format("; {} of {} points proven non-dominated\n", proven, result.front.size());
}

static nlohmann::json front_json(const LoadedScenario& loaded, const std::vector<Axis>& axes,
                                 const PlanRequest& request, const PlanResult& result, const Args& args,
                                 const std::string& scenario_path)
{
  nlohmann::json out = {{"scenario", loaded.scenario.name},
                        {"axes", nlohmann::json::array()},
                        {"constraints", request.constraints.describe()},
                        {"proven", result.optimal},
                        {"placements_scored", result.evaluated},
                        {"nodes", result.nodes},
                        {"points", nlohmann::json::array()}};
  for (Axis axis : axes)
    out["axes"].push_back(to_string(axis));
  out["unexplored_bound"] = nlohmann::json::object();
  for (size_t a = 0; a < axes.size(); ++a)
    out["unexplored_bound"][to_string(axes[a])] = std::isfinite(result.unexplored_bound[a])
                                                      ? nlohmann::json(shown(axes[a], result.unexplored_bound[a]))
                                                      : nullptr;
  for (const auto& p : result.front) {
    nlohmann::json bound = nlohmann::json::object();
    for (size_t a = 0; a < axes.size(); ++a)
      bound[to_string(axes[a])] = shown(axes[a], p.bound[a]);
    out["points"].push_back({{"placement", p.figures.text},
                             {"throughput_ips", 1 / p.figures.period_s},
                             {"period_s", p.figures.period_s},
                             {"latency_s", p.figures.latency_s},
                             {"devices", p.figures.devices},
                             {"energy_J", p.figures.energy_J},
                             {"cost", p.figures.cost},
                             {"stages", p.figures.stages},
                             {"proven", p.proven},
                             {"bound", bound}});
  }
  core::Provenance provenance;
  provenance.command_line = args;
  provenance.inputs       = {core::hashed_input("scenario", scenario_path),
                             core::hashed_input("platform", loaded.problem.platform.file)};
  out["provenance"]       = provenance.to_json();
  return out;
}

ExitStatus pareto_main(const Args& args)
{
  std::string scenario_path, out_dir, axes_text = "throughput,latency,devices,energy";
  double time_limit    = default_solve_time_limit_s;
  long long node_limit = 0;
  po::options_description options("Options");
  options.add_options()("out,o", po::value(&out_dir)->required(), "folder for front.csv, front.json, front.png")(
      "axes", po::value(&axes_text),
      "comma-separated: throughput, latency, devices, energy, cost (default: the first 4)")(
      "time-limit", po::value(&time_limit), "seconds (default 60, 0: none); beyond it the front is not proven")(
      "node-limit", po::value(&node_limit), "search nodes (default 0: none); deterministic, unlike a time limit");
  PlanFlags plan_flags;
  add_plan_options(options, plan_flags);
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit pareto SCENARIO --out DIR [--axes A,B,...] [--time-limit S] [--node-limit N]\n"
      "                        [--min-rate HZ] [--max-latency S] [--max-energy J]\n"
      "Every placement no other beats on all the axes (the Pareto front).";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  const std::vector<Axis> axes = parse_axes(axes_text);
  if (node_limit < 0)
    throw InputError("command line", "--node-limit", "must be >= 0 (0: none)");
  LoadedScenario loaded      = load_scenario(scenario_path);
  PlanFlags constraints_only = plan_flags;
  constraints_only.objective = "devices"; // any but throughput: always a request
  PlanRequest request        = *plan_request(constraints_only, loaded.problem, time_limit);
  request.front_axes         = axes;
  request.node_limit         = node_limit;
  request.keep_explored      = 20000;
  const PlanResult result    = plan(loaded.problem, request);
  if (result.front.empty())
    throw NoPlacement(
        fmt::format("{}: no placement meets the constraints ({})", scenario_path, request.constraints.describe()));
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error)
    throw InputError(out_dir, "--out", "cannot create the folder: " + error.message());
  const auto dir  = std::filesystem::path(out_dir);
  std::string csv = std::string(csv_header) + "\n";
  for (const auto& point : result.front)
    csv += csv_row(axes, point) + "\n";
  write_file_atomically((dir / "front.csv").string(), csv);
  write_json_file((dir / "front.json").string(), front_json(loaded, axes, request, result, args, scenario_path));
  analysis::plot_pareto(result.explored, result.front, axes, (dir / "front").string(),
                        fmt::format("{}: Pareto front ({} of {} placements scored)", loaded.scenario.name,
                                    result.front.size(), result.evaluated));
  std::cout << fmt::format("scenario {}: {} non-dominated placements on {} ({}; {} placements scored; "
                           "constraints: {})\n",
                           loaded.scenario.name, result.front.size(), axes_text,
                           result.optimal ? "exact" : "not proven: stopped at the time or node limit", result.evaluated,
                           request.constraints.describe());
  if (!result.optimal)
    std::cout << unexplored_line(axes, result);
  std::cout << csv_header << '\n';
  for (const auto& point : result.front)
    std::cout << csv_row(axes, point) << '\n';
  std::cout << fmt::format("wrote {0}/front.csv, {0}/front.json, {0}/front.png\n", out_dir);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
