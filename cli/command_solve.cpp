// pipesplit solve SCENARIO: the throughput-optimal placement, its figures, and how it compares to one device.

#include "cli/command.hpp"
#include "cli/plan_options.hpp"
#include "cli/prediction_report.hpp"
#include "cli/solve_report.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/ns3_limits.hpp"
#include "solver/contention_solver.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>

#include <unistd.h>

namespace po = boost::program_options;

namespace pipesplit::cli {

namespace {

// The command line's values, before they are checked.
struct SolveFlags {
  std::string solver = "bnb", bound = "full", reuse, network, json_path;
  int max_cuts         = -2; // -2: the scenario's
  double time_limit    = default_solve_time_limit_s;
  double gap           = 0;
  long long node_limit = 0;
  std::vector<std::string> sets;
  PlanFlags plan;
};

void add_solve_options(po::options_description& options, SolveFlags& f)
{
  add_set_option(options, &f.sets);
  options.add_options()("solver", po::value(&f.solver), "bnb (default, exact), dp, typedp, brute or greedy")(
      "bound", po::value(&f.bound), "bnb bounds: full (default) or transfer-only (the paper's algorithm)")(
      "max-cuts", po::value(&f.max_cuts), "override the scenario's cut limit (-1: none)")(
      "device-reuse", po::value(&f.reuse), "override the scenario: yes or no")(
      "network", po::value(&f.network), "override the scenario's network_model: ideal, lv08 or ns3")(
      "time-limit", po::value(&f.time_limit),
      "seconds (default 60, 0: none); the best placement found by then is returned with its proven gap")(
      "gap", po::value(&f.gap), "stop once the period is proven within this relative gap of the optimum (default 0)")(
      "node-limit", po::value(&f.node_limit),
      "stop each search after N nodes (default 0: none); unlike a time limit, the same result on every machine")(
      "json", po::value(&f.json_path), "also write the result as JSON to FILE");
  add_plan_options(options, f.plan);
}

SolveOptions solve_options_of(const SolveFlags& f)
{
  SolveOptions options;
  try {
    options.solver = parse_solver_kind(f.solver);
    options.bound  = parse_bound_kind(f.bound);
  } catch (const std::invalid_argument& e) {
    throw InputError("command line", "", e.what());
  }
  if (f.time_limit < 0)
    throw InputError("command line", "--time-limit", "must be >= 0 seconds");
  if (!(f.gap >= 0 && f.gap < 1))
    throw InputError("command line", "--gap", "must be >= 0 and < 1 (a relative gap)");
  if (f.node_limit < 0)
    throw InputError("command line", "--node-limit", "must be >= 0 (0: none)");
  options.time_limit_s = f.time_limit;
  options.gap          = f.gap;
  options.node_limit   = f.node_limit;
  options.progress     = solve_progress_on_terminal();
  return options;
}

void override_deployment(Deployment& deployment, const SolveFlags& f)
{
  if (f.max_cuts != -2) {
    if (f.max_cuts < -1)
      throw InputError("command line", "--max-cuts", "must be >= 0, or -1 for no limit");
    deployment.max_cuts = f.max_cuts;
  }
  if (!f.reuse.empty()) {
    if (f.reuse != "yes" && f.reuse != "no")
      throw InputError("command line", "--device-reuse", fmt::format("expected yes or no, got '{}'", f.reuse));
    deployment.device_reuse = f.reuse == "yes";
  }
}

// The plan for another objective or constraints, when asked (with its pstates applied to the problem); throws
// NoPlacement when none meets the constraints.
std::optional<PlanResult> plan_if_asked(LoadedScenario& loaded, const std::optional<PlanRequest>& request,
                                        const std::string& scenario_path)
{
  if (!request)
    return std::nullopt;
  PlanResult planned = plan(loaded.problem, *request);
  if (!planned.feasible)
    throw NoPlacement(fmt::format("{}: no placement meets the constraints ({}){}", scenario_path,
                                  request->constraints.describe(), planned.optimal ? "" : ": " + planned.note));
  apply_pstates(loaded.problem, planned);
  return planned;
}

void report_solve(const Args& args, const SolveFlags& f, const LoadedScenario& loaded, const SolveOptions& options,
                  const SolveResult& result, const SolveResult& single, const std::optional<PlanRequest>& request,
                  const std::optional<PlanResult>& planned)
{
  if (isatty(STDERR_FILENO)) // wall time varies from run to run: for the person watching, not for the record
    std::cerr << fmt::format("\rsolved by {} in {:.3f} s, {} nodes\n", to_string(options.solver), result.wall_s,
                             result.nodes_expanded);
  const PlanRequest* asked = request ? &*request : nullptr;
  const PlanResult* answer = planned ? &*planned : nullptr;
  std::ostream& out        = text_output(f.json_path);
  print_solve_report(out, loaded, result, single);
  if (result.feasible)
    print_plan_summary(out, loaded.problem, result.placement, result.prediction, asked, answer);
  if (f.json_path.empty())
    return;
  nlohmann::json json = solve_report_json(loaded, options, result, single);
  if (result.feasible)
    json["plan"] = plan_summary_json(loaded.problem, result.placement, result.prediction, asked, answer);
  json["provenance"] = provenance_json("solve", args, loaded.scenario);
  write_json_file(f.json_path, json);
}

} // namespace

ExitStatus solve_main(const Args& args)
{
  std::string scenario_path;
  SolveFlags flags;
  po::options_description options("Options");
  add_solve_options(options, flags);
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit solve SCENARIO [--solver bnb|dp|typedp|brute|greedy] [--max-cuts N] [--device-reuse yes|no]\n"
      "                       [--network ideal|lv08|ns3] [--time-limit S] [--gap G] [--node-limit N] [--json FILE]\n"
      "                       [--objective throughput|devices|cost|latency|energy] [--min-rate HZ]\n"
      "                       [--max-latency S] [--max-energy J]\n"
      "Find the placement with the highest throughput (ties: lower latency, then fewer stages), or the best one\n"
      "for another objective under constraints (ties: fewer devices, higher throughput, lower latency, energy, cost).";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  const SolveOptions solve_options = solve_options_of(flags);
  LoadedScenario loaded            = load_scenario_with(scenario_path, flags.sets);
  override_network(loaded, flags.network);
  if (loaded.problem.deployment.network == NetworkModel::Ns3)
    sim::check_ns3_transfers(loaded.problem, scenario_path);
  override_deployment(loaded.problem.deployment, flags);

  // Under lv08 the plans are rated by the schedule (contention_solver.hpp), measured as the simulation would.
  const ScheduleOptions window{loaded.scenario.simulation.warmup, loaded.scenario.simulation.inferences};
  auto request = plan_request(flags.plan, loaded.problem, flags.time_limit);
  if (request)
    request->node_limit = flags.node_limit; // as sweeps plan: deterministic
  const auto planned = plan_if_asked(loaded, request, scenario_path);
  const SolveResult result =
      planned ? as_solve_result(*planned) : solve_with_contention(loaded.problem, solve_options, {window});
  const SolveResult single = best_single_device_with_contention(loaded.problem, window);
  report_solve(args, flags, loaded, solve_options, result, single, request, planned);
  return result.feasible ? ExitStatus::Ok : ExitStatus::NoPlacement; // the report says why
}

} // namespace pipesplit::cli
