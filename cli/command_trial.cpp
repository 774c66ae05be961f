// pipesplit trial SCENARIO [--placement P] [--inputs N] --out DIR (--emulate | --hosts HOSTS.yaml): run the
// pipeline for real, on an emulated testbed of this machine or on boards running `pipesplit worker`, and compare
// the measured figures with the prediction and the simulation.

#include "cli/command.hpp"
#include "cli/simulation_report.hpp"
#include "cli/trial_calibration.hpp"
#include "cli/trial_report.hpp"
#include "cost/placement.hpp"
#include "solver/contention_solver.hpp"
#include "solver/search_space.hpp"
#include "trial/emulated_trial.hpp"
#include "trial/hosts_file.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>

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

// The measured run, on the emulated testbed or on the boards, with what the report says about it.
struct MeasuredRun {
  trial::TrialMeasurement measurement;
  std::vector<std::string> notes;
  std::vector<double> cpu_shares;          // per stage's device, emulated only
  std::map<int, double> cpu_share_by_host; // emulated only
  double machine_flops = 0;                // emulated only
  std::string testbed;
};

MeasuredRun run_emulated(const LoadedScenario& loaded, const Placement& placement, const trial::TrialOptions& options)
{
  MeasuredRun run;
  run.machine_flops = trial::measure_core_flops(loaded.model, loaded.problem.chain);
  auto emulated     = trial::run_emulated_trial(loaded.model, loaded.problem, placement, options, run.machine_flops);
  run.measurement   = std::move(emulated.measurement);
  run.notes         = emulated.notes;
  for (const auto& device : emulated.plan.devices)
    run.cpu_share_by_host[device.host] = device.cpu_share;
  for (const auto& stage : placement.stages)
    run.cpu_shares.push_back(run.cpu_share_by_host.at(stage.device));
  run.testbed = "emulated on this machine (network namespaces, veth shaped by tc tbf, cgroup CPU quotas)";
  return run;
}

MeasuredRun run_on_boards(const LoadedScenario& loaded, const Placement& placement, const std::string& hosts_path,
                          const trial::TrialOptions& options)
{
  const Problem& problem = loaded.problem;
  const auto hosts       = trial::read_hosts_file(hosts_path, problem.platform);
  MeasuredRun run;
  run.measurement = trial::run_trial(loaded.model, problem, placement,
                                     trial::boards_layout(hosts, placement, problem.platform), options);
  run.testbed     = "on the boards of " + hosts_path;
  run.notes.push_back("timestamps of different boards come from different clocks: transfers between boards and the "
                      "latency are only as exact as the boards' clock synchronisation");
  return run;
}

// The executor is bitwise reproducible on one thread count: compare with the whole model on one thread then.
void check_outputs(const LoadedScenario& loaded, const Placement& placement, uint64_t seed, MeasuredRun& run)
{
  const bool one_thread = std::all_of(placement.stages.begin(), placement.stages.end(),
                                      [](const Stage& stage) { return stage.threads == 1; });
  if (!one_thread) {
    run.notes.push_back("stages on several threads: results not compared bitwise with the unpartitioned run");
    return;
  }
  if (run.measurement.output_digest !=
      trial::unpartitioned_digest(loaded.model, loaded.problem.chain, run.measurement.delivered_inputs, seed))
    throw SimulationFailure("the pipeline's results differ from the unpartitioned run's");
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
  MeasuredRun run         = emulate ? run_emulated(loaded, placement, trial_options)
                                    : run_on_boards(loaded, placement, hosts_path, trial_options);
  check_outputs(loaded, placement, trial_options.seed, run);
  PlanFigures own              = predict_and_simulate(problem, placement, replay_options);
  TrialCalibration calibration = emulate ? calibrate_emulated(loaded, placement, run.cpu_share_by_host, replay_options)
                                         : calibrate_from_profiles(problem, placement, own);
  const auto summary           = trial::summarise(run.measurement, warmup);
  TrialFigures figures{loaded,
                       placement,
                       run.testbed,
                       run.notes,
                       run.machine_flops,
                       run.cpu_shares,
                       own.predicted,
                       own.simulated,
                       std::move(calibration),
                       run.measurement,
                       summary};
  std::cout << fmt::format("scenario {}: trial of {}, {} inputs, {}\n\n", loaded.scenario.name,
                           to_string(placement, problem.platform), inputs, run.testbed);
  print_trial_table(std::cout, figures);
  std::vector<InputFile> hosts_file;
  if (!hosts_path.empty())
    hosts_file.push_back(hashed_input("hosts", hosts_path));
  write_trial_outputs(out_dir, figures, provenance_json("trial", args, loaded.scenario, hosts_file));
  std::cout << fmt::format("\nwrote {0}/trial.yaml, {0}/result.json, {0}/report.md, {0}/timeline_measured.png\n",
                           out_dir);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
