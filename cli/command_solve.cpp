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

ExitStatus solve_main(const Args& args)
{
  std::string scenario_path, solver_name = "bnb", bound_name = "full", reuse, network, json_path;
  int max_cuts         = -2;
  double time_limit    = default_solve_time_limit_s;
  double gap           = 0;
  long long node_limit = 0;
  po::options_description options("Options");
  std::vector<std::string> sets;
  add_set_option(options, &sets);
  options.add_options()("solver", po::value(&solver_name), "bnb (default, exact), dp, brute or greedy")(
      "bound", po::value(&bound_name), "bnb bounds: full (default) or transfer-only (the paper's algorithm)")(
      "max-cuts", po::value(&max_cuts), "override the scenario's cut limit (-1: none)")(
      "device-reuse", po::value(&reuse), "override the scenario: yes or no")(
      "network", po::value(&network), "override the scenario's network_model: ideal, lv08 or ns3")(
      "time-limit", po::value(&time_limit),
      "seconds (default 60, 0: none); the best placement found by then is returned with its proven gap")(
      "gap", po::value(&gap), "stop once the period is proven within this relative gap of the optimum (default 0)")(
      "node-limit", po::value(&node_limit),
      "stop each search after N nodes (default 0: none); unlike a time limit, the same result on every machine")(
      "json", po::value(&json_path), "also write the result as JSON to FILE");
  PlanFlags plan_flags;
  add_plan_options(options, plan_flags);
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit solve SCENARIO [--solver bnb|dp|brute|greedy] [--max-cuts N] [--device-reuse yes|no]\n"
      "                       [--network ideal|lv08|ns3] [--time-limit S] [--gap G] [--node-limit N] [--json FILE]\n"
      "                       [--objective throughput|devices|cost|latency|energy] [--min-rate HZ]\n"
      "                       [--max-latency S] [--max-energy J]\n"
      "Find the placement with the highest throughput (ties: lower latency, then fewer stages), or the best one\n"
      "for another objective under constraints (ties: fewer devices, higher throughput, lower latency, energy, cost).";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  SolveOptions solve_options;
  try {
    solve_options.solver = parse_solver_kind(solver_name);
    solve_options.bound  = parse_bound_kind(bound_name);
  } catch (const std::invalid_argument& e) {
    throw InputError("command line", "", e.what());
  }
  if (time_limit < 0)
    throw InputError("command line", "--time-limit", "must be >= 0 seconds");
  solve_options.time_limit_s = time_limit;
  if (!(gap >= 0 && gap < 1))
    throw InputError("command line", "--gap", "must be >= 0 and < 1 (a relative gap)");
  solve_options.gap = gap;
  if (node_limit < 0)
    throw InputError("command line", "--node-limit", "must be >= 0 (0: none)");
  solve_options.node_limit = node_limit;
  solve_options.progress   = solve_progress_on_terminal();

  LoadedScenario loaded = load_scenario_with(scenario_path, sets);
  override_network(loaded, network);
  if (loaded.problem.deployment.network == NetworkModel::Ns3)
    sim::check_ns3_transfers(loaded.problem, scenario_path);
  Deployment& deployment = loaded.problem.deployment;
  if (max_cuts != -2) {
    if (max_cuts < -1)
      throw InputError("command line", "--max-cuts", "must be >= 0, or -1 for no limit");
    deployment.max_cuts = max_cuts;
  }
  if (!reuse.empty()) {
    if (reuse != "yes" && reuse != "no")
      throw InputError("command line", "--device-reuse", fmt::format("expected yes or no, got '{}'", reuse));
    deployment.device_reuse = reuse == "yes";
  }

  // Under lv08 the plans are rated by the schedule (contention_solver.hpp), measured as the simulation would.
  const ScheduleOptions window{loaded.scenario.simulation.warmup, loaded.scenario.simulation.inferences};
  auto request = plan_request(plan_flags, loaded.problem, time_limit);
  if (request)
    request->node_limit = node_limit; // as sweeps plan: deterministic
  std::optional<PlanResult> planned;
  if (request) {
    planned = plan(loaded.problem, *request);
    if (!planned->feasible)
      throw NoPlacement(fmt::format("{}: no placement meets the constraints ({}){}", scenario_path,
                                    request->constraints.describe(), planned->optimal ? "" : ": " + planned->note));
  }
  if (planned)
    apply_pstates(loaded.problem, *planned);
  const SolveResult result =
      planned ? as_solve_result(*planned) : solve_with_contention(loaded.problem, solve_options, {window});
  const SolveResult single = best_single_device_with_contention(loaded.problem, window);
  if (isatty(STDERR_FILENO)) // wall time varies from run to run: for the person watching, not for the record
    std::cerr << fmt::format("\rsolved by {} in {:.3f} s, {} nodes\n", to_string(solve_options.solver), result.wall_s,
                             result.nodes_expanded);
  std::ostream& out = text_output(json_path);
  print_solve_report(out, loaded, result, single);
  if (result.feasible)
    print_plan_summary(out, loaded.problem, result.placement, result.prediction, request ? &*request : nullptr,
                       planned ? &*planned : nullptr);
  if (!json_path.empty()) {
    nlohmann::json json = solve_report_json(loaded, solve_options, result, single);
    if (result.feasible)
      json["plan"] = plan_summary_json(loaded.problem, result.placement, result.prediction,
                                       request ? &*request : nullptr, planned ? &*planned : nullptr);
    json["provenance"] = provenance_json("solve", args, loaded.scenario);
    write_json_file(json_path, json);
  }
  return result.feasible ? ExitStatus::Ok : ExitStatus::NoPlacement; // the report says why
}

} // namespace pipesplit::cli
