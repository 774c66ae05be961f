#include "solver/contention_solver.hpp"
#include "solver/search_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace pipesplit::solver {

// Measured over a finite window, a schedule may come out a hair under its long-run period: enumerate a little
// above the threshold so that no plan is missed for it.
static constexpr double window_margin = 1e-3;

SolveResult solve_with_contention(const Problem& problem, const SolveOptions& options,
                                  const ContentionOptions& contention)
{
  const auto start   = std::chrono::steady_clock::now();
  SolveResult result = solve(problem, options);
  if (!result.feasible || problem.deployment.network != NetworkModel::Lv08)
    return result;
  // Plans are rated over at most 200 + 500 results, whatever the simulation measures: a long run would make rating
  // thousands of plans slow. The chosen plan's figures then come from the whole window.
  const ScheduleOptions rating{std::min(contention.schedule.warmup, 200LL),
                               std::min(contention.schedule.inferences, 500LL)};
  Prediction chosen_closed_form = result.prediction;
  result.prediction             = predict_with_contention(problem, result.placement, result.prediction, rating);
  const double threshold        = result.prediction.period_s;

  const SearchSpace space(problem);
  Incumbent candidates;
  candidates.collect_below_s = threshold * (1 + window_margin);
  candidates.collect_limit   = contention.candidate_limit;
  // No dominance test: a plan the closed form ranks lower may still win under the schedule.
  const SearchStats stats = branch_and_bound(space, options, candidates, false);
  for (const auto& [placement, closed_form] : candidates.collected) {
    const Prediction rated = predict_with_contention(problem, placement, closed_form, rating);
    if (better(rated, placement.stages.size(), result.prediction, result.placement.stages.size())) {
      result.placement   = placement;
      result.prediction  = rated;
      result.solver      = "bnb+schedule";
      chosen_closed_form = closed_form;
    }
  }
  result.prediction = predict_with_contention(problem, result.placement, chosen_closed_form, contention.schedule);
  // Complete: no plan outside the enumeration can beat its best, whether or not the first search was proven.
  const bool complete = stats.exhausted && !candidates.collect_overflow;
  result.optimal      = complete;
  result.nodes_expanded += stats.nodes;
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.note   = fmt::format("rated by the schedule: the {} plans whose closed-form period is under the schedule of "
                                "the closed form's best plan ({:.6g} s)",
                              candidates.collected.size(), threshold);
  if (!complete)
    result.note += fmt::format(", more left out (limit {} plans, or the time limit): not proven optimal",
                               contention.candidate_limit);
  return result;
}

SolveResult best_single_device_with_contention(const Problem& problem, const ScheduleOptions& window)
{
  SolveResult single = best_single_device(problem);
  if (single.feasible)
    single.prediction = predict_with_contention(problem, single.placement, single.prediction, window);
  return single;
}

} // namespace pipesplit::solver
