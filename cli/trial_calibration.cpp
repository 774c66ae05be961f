#include "cli/trial_calibration.hpp"
#include "cli/simulation_report.hpp"
#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "solver/search_space.hpp"
#include "trial/calibrated_profile.hpp"

#include <fmt/format.h>

namespace pipesplit::cli {

PlanFigures predict_and_simulate(const Problem& problem, const Placement& placement, const sim::ReplayOptions& replay)
{
  PlanFigures figures;
  Placement chosen = placement; // threads: auto picks its stages' thread counts here
  figures.predicted =
      predict_with_contention(problem, chosen, evaluate_placement(problem, chosen), {replay.warmup, replay.inferences});
  figures.simulated = replay_reporting(problem, placement, figures.predicted, replay);
  return figures;
}

TrialCalibration calibrate_emulated(const LoadedScenario& loaded, const Placement& placement,
                                    const std::map<int, double>& cpu_share_by_host, const sim::ReplayOptions& replay)
{
  TrialCalibration calibration;
  calibration.block_seconds = trial::measure_block_seconds(loaded.model, loaded.problem.chain);
  const Problem calibrated  = trial::calibrated_problem(loaded.problem, calibration.block_seconds, cpu_share_by_host);
  PlanFigures figures       = predict_and_simulate(calibrated, placement, replay);
  calibration.predicted     = std::move(figures.predicted);
  calibration.simulated     = std::move(figures.simulated);
  calibration.source        = "every block timed on this machine's core at one thread (executor: the model's CPU "
                              "time per input over 5 runs, shared among the blocks as their layers' medians), divided "
                              "by each device's CPU share";
  return calibration;
}

TrialCalibration calibrate_from_profiles(const Problem& problem, const Placement& placement, const PlanFigures& own)
{
  TrialCalibration calibration;
  std::string unmeasured, measured;
  for (const auto& stage : placement.stages) {
    const auto& host = problem.host(stage.device);
    bool has_profile = !host.profile.empty();
    for (int b = stage.first; has_profile && b <= stage.last; ++b)
      has_profile = problem.chain.blocks[b].measured_s.count(host.profile) > 0;
    std::string& list = has_profile ? measured : unmeasured;
    list += (list.empty() ? "" : ", ") + host.name;
  }
  if (!unmeasured.empty()) {
    calibration.source = "absent: no measured profile of the stage's blocks on " + unmeasured;
    return calibration;
  }
  calibration.predicted = own.predicted;
  calibration.simulated = own.simulated;
  calibration.source    = "the scenario's own measured profiles of " + measured + " (the same as the prediction)";
  return calibration;
}

} // namespace pipesplit::cli
