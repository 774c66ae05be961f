#include "solver/contention_solver.hpp"
#include "cost/closed_form_exactness.hpp"
#include "solver/search_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace pipesplit::solver {

namespace {

// Measured over a finite window, a schedule may come out a hair under its long-run period: enumerate a little
// above the threshold so that no plan is missed for it.
constexpr double window_margin = 1e-3;
// A schedule within this of a lower bound meets it (the schedule's sums and the closed form's differ in order).
constexpr double proof_tolerance = 1e-9;

using Clock = std::chrono::steady_clock;

struct Rating {
  Placement placement;
  Prediction prediction;  // by the schedule, over the rating window
  Prediction closed_form; // the cost model's
  size_t rated      = 0;  // candidates rated
  bool out_of_time  = false;
  double next_floor = 0; // lower bound on the schedule of every candidate not rated
};

// Rate candidates in increasing closed-form period (a lower bound on their schedule's) until none left can beat
// the best rating, or the time is up.
void rate_candidates(const Problem& problem, std::vector<std::pair<Placement, Prediction>>& candidates,
                     const ScheduleOptions& window, Clock::time_point deadline, bool has_deadline, Rating& best)
{
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.second.period_s < b.second.period_s; });
  best.next_floor = std::numeric_limits<double>::infinity();
  for (const auto& [placement, closed_form] : candidates) {
    if (best.prediction.period_s <= closed_form.period_s * (1 + proof_tolerance) ||
        (has_deadline && Clock::now() > deadline)) {
      best.out_of_time = best.prediction.period_s > closed_form.period_s * (1 + proof_tolerance);
      best.next_floor  = closed_form.period_s;
      return;
    }
    ++best.rated;
    const Prediction rated = predict_with_contention(problem, placement, closed_form, window);
    if (better(rated, placement.stages.size(), best.prediction, best.placement.stages.size())) {
      best.placement   = placement;
      best.prediction  = rated;
      best.closed_form = closed_form;
    }
  }
}

} // namespace

SolveResult solve_with_contention(const Problem& problem, const SolveOptions& options,
                                  const ContentionOptions& contention)
{
  return solve_with_contention(SearchSpace(problem), options, contention);
}

SolveResult solve_with_contention(const SearchSpace& space, const SolveOptions& options,
                                  const ContentionOptions& contention)
{
  const auto start       = Clock::now();
  const Problem& problem = space.problem;
  if (problem.deployment.network == NetworkModel::Ns3)
    return solve(space, options);
  // Under a time limit the closed form's search gets half of it, the enumeration and the ratings the rest. Under
  // ideal the closed form's best plan is mostly its own schedule (closed_form_is_exact()): the search gets it all.
  const bool ideal                 = problem.deployment.network == NetworkModel::Ideal;
  SolveOptions closed_form_options = options;
  if (!ideal)
    closed_form_options.time_limit_s /= 2;
  SolveResult result = solve(space, closed_form_options);
  // A plan whose schedule is its closed form keeps the closed form's proof: no plan's schedule is under its own
  // closed form, so none is under this one's.
  if (!result.feasible || (ideal && closed_form_is_exact(problem, result.placement, result.prediction)))
    return result;
  // Plans are rated over at most 200 + 500 results, whatever the simulation measures: a long run would make rating
  // thousands of plans slow. The chosen plan's figures then come from the whole window.
  const ScheduleOptions rating{std::min(contention.schedule.warmup, 200LL),
                               std::min(contention.schedule.inferences, 500LL)};
  // Every plan's schedule is at least its closed-form period, so at least the closed form's lower bound.
  const double closed_form_bound = result.lower_bound_s;
  const auto rating_start        = Clock::now();
  Rating best{result.placement, predict_with_contention(problem, result.placement, result.prediction, rating),
              result.prediction};
  const double threshold = best.prediction.period_s;
  // Ratings stop in time for the chosen plan's final rating over the whole window (about one rating more).
  const bool final_rating =
      rating.warmup != contention.schedule.warmup || rating.inferences != contention.schedule.inferences;
  const auto one_rating   = Clock::now() - rating_start;
  const bool has_deadline = options.time_limit_s > 0;
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.time_limit_s)) -
      (final_rating ? 2 : 1) * one_rating;

  SearchStats stats;
  Incumbent candidates;
  if (threshold > closed_form_bound * (1 + proof_tolerance)) {
    candidates.collect_below_s = threshold * (1 + window_margin);
    candidates.collect_limit   = contention.candidate_limit;
    // No dominance test: a plan the closed form ranks lower may still win under the schedule.
    SolveOptions enumeration = options;
    if (has_deadline)
      enumeration.time_limit_s = std::max(1e-6, std::chrono::duration<double>(deadline - Clock::now()).count());
    stats = branch_and_bound(space, enumeration, candidates, false);
    rate_candidates(problem, candidates.collected, rating, deadline, has_deadline, best);
  }
  // What is left unrated: candidates above next_floor, plans left out of a full collection (above its highest kept
  // one), subtrees a limit left unsearched.
  double floor = best.next_floor;
  if (candidates.collect_overflow && best.rated == candidates.collected.size())
    floor = std::min(floor, candidates.collected.back().second.period_s);
  if (!stats.exhausted)
    floor = std::min(floor, stats.unexplored_bound_s);
  result.lower_bound_s = std::min(best.prediction.period_s, std::max(closed_form_bound, floor));
  const bool proven    = result.lower_bound_s >= best.prediction.period_s * (1 - proof_tolerance);

  if (!(best.placement == result.placement))
    result.solver = "bnb+schedule";
  result.placement     = best.placement;
  result.prediction    = final_rating
                             ? predict_with_contention(problem, best.placement, best.closed_form, contention.schedule)
                             : best.prediction;
  result.lower_bound_s = std::min(result.lower_bound_s, result.prediction.period_s);
  result.gap           = proven ? 0 : (result.prediction.period_s - result.lower_bound_s) / result.prediction.period_s;
  if (proven)
    result.lower_bound_s = result.prediction.period_s;
  result.optimal = proven;
  result.nodes_expanded += stats.nodes;
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (threshold <= closed_form_bound * (1 + proof_tolerance))
    result.note = fmt::format("rated by the schedule: the closed form's best plan meets the closed-form lower bound "
                              "({:.6g} s), no plan can do better",
                              closed_form_bound);
  else
    result.note =
        fmt::format("rated by the schedule: {} of the {} plans whose closed-form period is under the "
                    "schedule of the closed form's best plan ({:.6g} s){}",
                    best.rated, candidates.collected.size(), threshold,
                    candidates.collect_overflow ? fmt::format(" (at most {} kept)", contention.candidate_limit) : "");
  if (!proven)
    result.note += fmt::format(": not proven optimal, gap {:.3g}%", 100 * result.gap);
  return result;
}

SolveResult best_single_device_with_contention(const Problem& problem, const ScheduleOptions& window)
{
  return best_single_device_with_contention(SearchSpace(problem), window);
}

SolveResult best_single_device_with_contention(const SearchSpace& space, const ScheduleOptions& window)
{
  const Problem& problem = space.problem;
  SolveResult single     = best_single_device(space);
  if (single.feasible)
    single.prediction = predict_with_contention(problem, single.placement, single.prediction, window);
  return single;
}

} // namespace pipesplit::solver
