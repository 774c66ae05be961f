// pipesplit simulate SCENARIO: replay a placement (the solver's when none is given) with SimGrid and compare the
// result with the cost model.

#include "cli/command.hpp"
#include "cli/plan_options.hpp"
#include "cli/simulation_report.hpp"
#include "core/error.hpp"
#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "sim/simgrid_options.hpp"
#include "solver/contention_solver.hpp"
#include "solver/search_space.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus simulate_main(const Args& args)
{
  std::string scenario_path, placement_text, network, json_path, trace_path;
  long long inferences = -1, warmup = -1;
  std::vector<std::string> log_controls;
  po::options_description options("Options");
  std::vector<std::string> sets;
  add_set_option(options, &sets);
  std::vector<std::string> configuration;
  add_simgrid_options(options, &configuration);
  options.add_options()("placement,p", po::value(&placement_text),
                        "stages as DEVICE:FIRST-LAST[@THREADS],...; default: solve first")(
      "inferences,n", po::value(&inferences), "results to measure after warm-up (default: the scenario's)")(
      "warmup", po::value(&warmup), "results discarded before measuring (default: the scenario's)")(
      "network", po::value(&network), "ideal, lv08 or ns3 (default: the scenario's network_model)")(
      "json", po::value(&json_path), "also write the results as JSON to FILE")(
      "trace", po::value(&trace_path), "write a Paje trace of the run to FILE (opens in ViTE)")(
      "log", po::value(&log_controls), "SimGrid log setting, e.g. pipesplit_wall.thres:info (wall-clock figures)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit simulate SCENARIO [--placement P] [--inferences N] [--warmup N]\n"
                            "                          [--network ideal|lv08|ns3] [--json FILE] [--trace FILE]\n"
                            "Replay the pipelined inference with SimGrid and compare it with the prediction.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  sim::check_configuration(configuration);
  LoadedScenario loaded             = load_scenario_with(scenario_path, sets);
  Problem& problem                  = loaded.problem;
  sim::ReplayOptions replay_options = replay_options_for(loaded, inferences, warmup, network, log_controls);
  replay_options.configuration      = configuration;
  replay_options.trace_file         = trace_path;

  Placement placement;
  if (placement_text.empty()) {
    SolveOptions solve_options;
    solve_options.time_limit_s = default_solve_time_limit_s;
    const SolveResult solved =
        solve_with_contention(problem, solve_options, {{replay_options.warmup, replay_options.inferences}});
    if (!solved.feasible)
      throw NoPlacement(scenario_path + ": no placement meets the constraints: " + solved.note);
    placement = solved.placement;
  } else {
    placement = parse_placement(placement_text, problem, "--placement");
  }
  const Prediction prediction    = predict_with_contention(problem, placement, evaluate_placement(problem, placement),
                                                           {replay_options.warmup, replay_options.inferences});
  const sim::ReplayResult replay = replay_reporting(problem, placement, prediction, replay_options);

  std::ostream& out = text_output(json_path);
  out << fmt::format("scenario {}: placement {}\n\n", loaded.scenario.name, to_string(placement, problem.platform));
  print_comparison(out, problem, prediction, replay);
  print_energy_comparison(out, predict_energy(problem, placement, prediction), replay);
  if (!json_path.empty()) {
    nlohmann::json document = comparison_json(prediction, replay);
    document["scenario"]    = loaded.scenario.name;
    document["placement"]   = to_string(placement, problem.platform);
    document["simulation"]  = to_json(replay);
    document["provenance"]  = provenance_json("simulate", args, loaded.scenario);
    write_json_file(json_path, document);
  }
  if (!replay.complete())
    throw SimulationFailure(stall_message(replay));
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
