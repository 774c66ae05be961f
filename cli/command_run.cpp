// pipesplit run SCENARIO --out DIR: solve, predict, simulate, compare; result.json, report.md and a timeline.

#include "analysis/timeline_plot.hpp"
#include "cli/command.hpp"
#include "cli/markdown_report.hpp"
#include "cli/plan_options.hpp"
#include "cli/prediction_report.hpp"
#include "cli/simulation_report.hpp"
#include "cli/solve_report.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/ns3_limits.hpp"
#include "sim/replay.hpp"
#include "sim/simgrid_options.hpp"
#include "solver/contention_solver.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus run_main(const Args& args)
{
  std::string scenario_path, out_dir, network;
  long long inferences = -1;
  double time_limit    = default_solve_time_limit_s;
  po::options_description options("Options");
  std::vector<std::string> sets;
  add_set_option(options, &sets);
  std::vector<std::string> configuration;
  add_simgrid_options(options, &configuration);
  options.add_options()("out,o", po::value(&out_dir)->required(),
                        "folder for result.json, report.md, timeline.png/.pdf/.svg")(
      "inferences,n", po::value(&inferences), "results to measure in the simulation (default: the scenario's)")(
      "network", po::value(&network), "ideal, lv08 or ns3 (default: the scenario's network_model)")(
      "time-limit", po::value(&time_limit), "seconds for the solver (default 60)");
  PlanFlags plan_flags;
  add_plan_options(options, plan_flags);
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit run SCENARIO --out DIR [--objective throughput|devices|cost|latency|energy]\n"
      "                     [--min-rate HZ] [--max-latency S] [--max-energy J]\n"
      "Solve, predict, simulate and compare; write result.json, report.md and timeline.png.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  sim::check_configuration(configuration);
  LoadedScenario loaded             = load_scenario_with(scenario_path, sets);
  Problem& problem                  = loaded.problem;
  sim::ReplayOptions replay_options = replay_options_for(loaded, inferences > 0 ? inferences : -1, -1, network, {});
  replay_options.configuration      = configuration;
  if (problem.deployment.network == NetworkModel::Ns3)
    sim::check_ns3_transfers(problem, scenario_path);

  SolveOptions solve_options;
  solve_options.time_limit_s = time_limit;
  solve_options.progress     = solve_progress_on_terminal();
  const ScheduleOptions window{replay_options.warmup, replay_options.inferences};
  const auto request = plan_request(plan_flags, problem, time_limit);
  std::optional<PlanResult> planned;
  if (request) {
    planned = plan(problem, *request);
    if (!planned->feasible)
      throw NoPlacement(fmt::format("{}: no placement meets the constraints ({}){}", scenario_path,
                                    request->constraints.describe(), planned->optimal ? "" : ": " + planned->note));
  }
  if (planned)
    apply_pstates(problem, *planned);
  const SolveResult solved =
      planned ? as_solve_result(*planned) : solve_with_contention(problem, solve_options, {window});
  const SolveResult single = best_single_device_with_contention(problem, window);
  if (!solved.feasible)
    throw NoPlacement(scenario_path + ": no placement meets the constraints: " + solved.note);
  std::error_code error; // only now: a refused run leaves no empty folder behind
  std::filesystem::create_directories(out_dir, error);
  if (error)
    throw InputError(out_dir, "--out", "cannot create the folder: " + error.message());

  const sim::ReplayResult replay = replay_reporting(problem, solved.placement, solved.prediction, replay_options);

  const auto dir = std::filesystem::path(out_dir);
  analysis::plot_timeline(replay, (dir / "timeline").string(),
                          fmt::format("{}: {}", loaded.scenario.name, to_string(solved.placement, problem.platform)));
  nlohmann::json result    = solve_report_json(loaded, solve_options, solved, single);
  result["simulation"]     = to_json(replay);
  result["comparison"]     = comparison_json(solved.prediction, replay);
  const PlanRequest* asked = request ? &*request : nullptr;
  result["plan"] =
      plan_summary_json(problem, solved.placement, solved.prediction, asked, planned ? &*planned : nullptr);
  const EnergyPrediction energy = predict_energy(problem, solved.placement, solved.prediction);
  result["provenance"]          = provenance_json("run", args, loaded.scenario);
  write_json_file((dir / "result.json").string(), result);
  std::ostringstream summary;
  print_plan_summary(summary, problem, solved.placement, solved.prediction, asked, planned ? &*planned : nullptr);
  write_file_atomically((dir / "report.md").string(), markdown_report(loaded, solved, single, replay, "timeline.png") +
                                                          "\n## Plan summary\n\n```\n" + summary.str() + "```\n" +
                                                          energy_comparison_markdown(energy, replay));

  std::cout << fmt::format("scenario {}: placement {} ({})\n\n", loaded.scenario.name,
                           to_string(solved.placement, problem.platform),
                           solved.optimal ? "proven optimal" : "not proven optimal");
  print_comparison(std::cout, problem, solved.prediction, replay);
  std::cout << '\n' << summary.str();
  print_energy_comparison(std::cout, energy, replay);
  if (single.feasible)
    std::cout << fmt::format("\nspeed-up over the best single device ({}): {:.3f}x predicted, {:.3f}x simulated\n",
                             problem.host(single.placement.stages[0].device).name,
                             single.prediction.period_s / solved.prediction.period_s,
                             single.prediction.period_s / replay.period_s);
  std::cout << fmt::format("wrote {0}/result.json, {0}/report.md, {0}/timeline.png\n", out_dir);
  if (!replay.complete())
    throw SimulationFailure(stall_message(replay));
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
