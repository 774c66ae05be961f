// pipesplit trial SCENARIO [--placement P] [--inputs N] --out DIR (--emulate | --hosts HOSTS.yaml): run the
// pipeline for real, on an emulated testbed of this machine or on boards running `pipesplit worker`, and compare
// the measured figures with the prediction and the simulation.

#include "cli/command.hpp"
#include "cli/simulation_report.hpp"
#include "cli/trial_report.hpp"
#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "solver/contention_solver.hpp"
#include "solver/search_space.hpp"
#include "trial/emulated_trial.hpp"
#include "trial/hosts_file.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

namespace {

Placement choose_placement(const Problem& problem, const std::string& text, const sim::ReplayOptions& replay)
{
  if (!text.empty())
    return parse_placement(text, problem, "--placement");
  SolveOptions solve_options;
  solve_options.time_limit_s = default_solve_time_limit_s;
  const SolveResult solved   = solve_with_contention(problem, solve_options, {{replay.warmup, replay.inferences}});
  if (!solved.feasible)
    throw NoPlacement(problem.platform.file + ": no placement meets the constraints: " + solved.note);
  return solved.placement;
}

} // namespace

ExitStatus trial_main(const Args& args)
{
  std::string scenario_path, placement_text, out_dir, hosts_path;
  long long inputs = 0;
  double timeout_s = 600;
  bool emulate     = false;
  po::options_description options("Options");
  options.add_options()("placement,p", po::value(&placement_text),
                        "stages as DEVICE:FIRST-LAST[@THREADS],...; default: solve first")(
      "inputs,n", po::value(&inputs), "inputs to send (default: the scenario's warm-up + inferences)")(
      "out,o", po::value(&out_dir)->required(), "folder for trial.yaml, result.json, report.md and the timelines")(
      "emulate", po::bool_switch(&emulate), "build the platform on this machine (needs root)")(
      "hosts", po::value(&hosts_path), "HOSTS.yaml: the boards' workers (see README)")(
      "timeout", po::value(&timeout_s), "seconds before a trial that does not end is stopped (default 600)");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit trial SCENARIO [--placement P] [--inputs N] --out DIR (--emulate | --hosts HOSTS.yaml)\n"
      "Run the pipeline for real and compare it with the prediction and the simulation.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  if (emulate == !hosts_path.empty())
    throw InputError("pipesplit trial", "", "give exactly one of --emulate and --hosts HOSTS.yaml");
  LoadedScenario loaded  = load_scenario(scenario_path);
  const Problem& problem = loaded.problem;
  const auto& simulation = loaded.scenario.simulation;
  if (inputs == 0)
    inputs = simulation.warmup + simulation.inferences;
  if (inputs < 3)
    throw InputError("--inputs", "", fmt::format("a trial needs at least 3 inputs, got {}", inputs));
  const long long warmup            = std::min<long long>(simulation.warmup, inputs / 5);
  sim::ReplayOptions replay_options = replay_options_for(loaded, inputs - warmup, warmup, "", {});
  Placement placement               = choose_placement(problem, placement_text, replay_options);

  trial::TrialOptions trial_options;
  trial_options.inputs    = inputs;
  trial_options.seed      = simulation.seed;
  trial_options.timeout_s = timeout_s;
  trial::TrialMeasurement measurement;
  std::vector<std::string> notes;
  std::vector<double> cpu_shares;
  double machine_flops = 0;
  std::string testbed;
  if (emulate) {
    machine_flops = trial::measure_core_flops(loaded.model, problem.chain);
    auto run      = trial::run_emulated_trial(loaded.model, problem, placement, trial_options, machine_flops);
    measurement   = std::move(run.measurement);
    notes         = run.notes;
    for (const auto& stage : placement.stages)
      for (const auto& device : run.plan.devices)
        if (device.host == stage.device)
          cpu_shares.push_back(device.cpu_share);
    testbed = "emulated on this machine (network namespaces, veth shaped by tc tbf, cgroup CPU quotas)";
  } else {
    const auto hosts = trial::read_hosts_file(hosts_path, problem.platform);
    measurement      = trial::run_trial(loaded.model, problem, placement,
                                        trial::boards_layout(hosts, placement, problem.platform), trial_options);
    testbed          = "on the boards of " + hosts_path;
    notes.push_back("timestamps of different boards come from different clocks: transfers between boards and the "
                    "latency are only as exact as the boards' clock synchronisation");
  }
  // The executor is bitwise reproducible on one thread count: compare with the whole model on one thread then.
  const bool one_thread = std::all_of(placement.stages.begin(), placement.stages.end(),
                                      [](const Stage& stage) { return stage.threads == 1; });
  if (one_thread &&
      measurement.output_digest !=
          trial::unpartitioned_digest(loaded.model, problem.chain, measurement.delivered_inputs, trial_options.seed))
    throw SimulationFailure("the pipeline's results differ from the unpartitioned run's");
  if (!one_thread)
    notes.push_back("stages on several threads: results not compared bitwise with the unpartitioned run");

  Prediction predicted = predict_with_contention(problem, placement, evaluate_placement(loaded.problem, placement),
                                                 {replay_options.warmup, replay_options.inferences});
  const sim::ReplayResult simulated = replay_reporting(problem, placement, predicted, replay_options);
  TrialFigures figures{loaded,     placement, testbed,   notes,       machine_flops,
                       cpu_shares, predicted, simulated, measurement, trial::summarise(measurement, warmup)};
  std::cout << fmt::format("scenario {}: trial of {}, {} inputs, {}\n\n", loaded.scenario.name,
                           to_string(placement, problem.platform), inputs, testbed);
  print_trial_table(std::cout, figures);
  write_trial_outputs(out_dir, figures);
  std::cout << fmt::format("\nwrote {0}/trial.yaml, {0}/result.json, {0}/report.md, {0}/timeline_measured.png\n",
                           out_dir);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
