#include "solver/solver.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/suffix_bounds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace pipesplit::solver {

SolverKind parse_solver_kind(const std::string& text)
{
  if (text == "bnb")
    return SolverKind::BranchAndBound;
  if (text == "dp")
    return SolverKind::DynamicProgramming;
  if (text == "typedp")
    return SolverKind::TypeDynamicProgramming;
  if (text == "brute")
    return SolverKind::BruteForce;
  if (text == "greedy")
    return SolverKind::Greedy;
  throw std::invalid_argument(fmt::format("unknown solver '{}' (expected bnb, dp, typedp, brute or greedy)", text));
}

std::string to_string(SolverKind kind)
{
  switch (kind) {
  case SolverKind::BranchAndBound:
    return "bnb";
  case SolverKind::DynamicProgramming:
    return "dp";
  case SolverKind::TypeDynamicProgramming:
    return "typedp";
  case SolverKind::BruteForce:
    return "brute";
  case SolverKind::Greedy:
    return "greedy";
  }
  return "?";
}

BoundKind parse_bound_kind(const std::string& text)
{
  if (text == "full")
    return BoundKind::Full;
  if (text == "transfer-only")
    return BoundKind::TransferOnly;
  throw std::invalid_argument(fmt::format("unknown bound '{}' (expected full or transfer-only)", text));
}

std::string to_string(BoundKind kind)
{
  return kind == BoundKind::Full ? "full" : "transfer-only";
}

// The proven lower bound: the root relaxation, raised to what the search covered (every placement it neither
// evaluated nor pruned against the incumbent lies in a subtree whose floor it reports).
static double lower_bound(double root, const Incumbent& incumbent, const SearchStats& stats, bool exact, double gap)
{
  if (!incumbent.found)
    return root;
  const double period = incumbent.prediction.period_s;
  if (!exact)
    return std::min(root, period);
  const double covered = std::min({period, stats.exhausted ? period : stats.unexplored_bound_s, period * (1 - gap)});
  return std::min(period, std::max(root, covered));
}

static SolveResult finish(const Problem& problem, const Incumbent& incumbent, const SearchStats& stats, bool exact,
                          double root, double gap, std::chrono::steady_clock::time_point start)
{
  SolveResult result;
  result.wall_s         = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.nodes_expanded = stats.nodes;
  result.dp_transitions = stats.dp_transitions;
  result.note           = stats.note;
  if (!incumbent.found) {
    result.note = result.note.empty() ? "no placement meets the constraints (memory, cut limit)" : result.note;
    return result;
  }
  result.feasible      = true;
  result.placement     = incumbent.placement;
  result.prediction    = predict(problem, incumbent.placement);
  result.solver        = incumbent.origin;
  result.lower_bound_s = lower_bound(root, incumbent, stats, exact, gap);
  result.gap           = (result.prediction.period_s - result.lower_bound_s) / result.prediction.period_s;
  result.optimal       = exact && stats.exhausted && gap == 0;
  if (result.gap <= tie_tolerance) { // the bound proves the period, whatever stopped the search
    result.gap           = 0;
    result.lower_bound_s = result.prediction.period_s;
  }
  return result;
}

SolveOptions with_time_left(const SolveOptions& options, std::chrono::steady_clock::time_point start)
{
  SolveOptions left = options;
  if (options.time_limit_s > 0)
    left.time_limit_s = std::max(
        1e-6, options.time_limit_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return left;
}

SolveResult best_single_device(const Problem& problem)
{
  return best_single_device(SearchSpace(problem));
}

SolveResult best_single_device(const SearchSpace& space)
{
  const auto start = std::chrono::steady_clock::now();
  Incumbent incumbent;
  best_single(space, incumbent);
  return finish(space.problem, incumbent, SearchStats{}, false, SuffixBounds(space).root_period(), 0, start);
}

SolveResult solve(const Problem& problem, const SolveOptions& options)
{
  return solve(SearchSpace(problem), options);
}

SolveResult solve(const SearchSpace& space, const SolveOptions& options)
{
  const auto start       = std::chrono::steady_clock::now();
  const Problem& problem = space.problem;
  const double root      = SuffixBounds(space).root_period();
  Incumbent incumbent;
  incumbent.gap = options.gap;
  SearchStats stats;
  bool exact = true;
  switch (options.solver) {
  case SolverKind::BruteForce:
    stats = brute_force(space, options, incumbent);
    break;
  case SolverKind::Greedy:
    greedy_baselines(space, incumbent);
    exact = false;
    break;
  case SolverKind::DynamicProgramming: {
    stats                = dynamic_programming(space, incumbent);
    stats.dp_transitions = stats.nodes;
    const auto reason    = dp_exactness(space);
    exact                = reason.empty();
    if (!exact)
      stats.note = "DP is not exact here: " + reason;
    break;
  }
  case SolverKind::TypeDynamicProgramming:
    stats = type_dynamic_programming(space, incumbent);
    if (!stats.exhausted) { // it does not apply here: the default solver answers, and the note says why
      const std::string why = stats.note;
      stats                 = branch_and_bound_solve(space, with_time_left(options, start), incumbent, root);
      stats.note            = why + (stats.note.empty() ? "" : "; " + stats.note);
    }
    break;
  case SolverKind::BranchAndBound:
    stats = branch_and_bound_solve(space, with_time_left(options, start), incumbent, root);
    break;
  }
  return finish(problem, incumbent, stats, exact, root, options.gap, start);
}

// DP over the fastest devices alone, as many as keep its state within `states` (blocks + 1, subsets, last device):
// when the problem has too many distinct devices for DP over all of them, a placement on the fastest ones is still
// a good first incumbent. Each device is rated by the whole chain's compute time on it. Returns the transitions.
static long long dp_on_fastest(const SearchSpace& space, double states, Incumbent& out)
{
  std::vector<int> slots(space.slots);
  for (int s = 0; s < space.slots; ++s)
    slots[s] = s;
  const auto whole_chain = [&](int s) { return space.stage_seconds(s, space.default_threads(s), 0, space.blocks - 1); };
  std::stable_sort(slots.begin(), slots.end(), [&](int a, int b) { return whole_chain(a) < whole_chain(b); });
  int count = 1;
  while (count + 1 < space.slots && (space.blocks + 1.0) * std::ldexp(1.0, count + 1) * (count + 2) <= states)
    ++count;
  if (count < 2)
    return 0;
  Problem fastest = space.problem;
  fastest.devices.clear();
  for (int i = 0; i < count; ++i)
    fastest.devices.push_back(space.host(slots[i]));
  std::sort(fastest.devices.begin(), fastest.devices.end());
  Incumbent found;
  const SearchStats dp = dynamic_programming(SearchSpace(fastest), found);
  if (found.found) {
    Placement placement = found.placement;
    out.offer(placement, evaluate_placement(space.problem, placement), found.origin);
  }
  return dp.nodes;
}

SearchStats branch_and_bound_solve(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent,
                                   double root)
{
  const auto start = std::chrono::steady_clock::now();
  SearchStats stats;
  if (options.bound == BoundKind::TransferOnly) {
    best_single(space, incumbent);
    stats = transfer_only_branch_and_bound(space, options, incumbent);
  } else {
    // DP first, offered after the baselines as before (they come first in ties): with its answer as the bar, the
    // baselines evaluate only the candidates that could still matter. Not when collecting (lv08) or with a gap.
    Incumbent from_dp;
    const bool by_types = options.dp_shortcut && prefer_type_dp(space); // then exact: no search follows
    SearchStats dp      = by_types ? type_dynamic_programming(space, from_dp) : dynamic_programming(space, from_dp);
    if (!by_types && !dp.exhausted) // too many distinct devices
      dp.nodes += dp_on_fastest(space, 2e5, from_dp);
    const bool use_as_bar = incumbent.collect_below_s == 0 && incumbent.gap == 0;
    const bool dp_exact   = dp_exactness(space).empty();
    const bool dp_proven  = options.dp_shortcut && dp.exhausted && dp_exact;
    // A DP that proves its answer leaves the baselines nothing to find (they took half a solve on 64 boards of two
    // types, 30% of an analytic sweep's point): they run when it does not, or when plans are collected (lv08).
    if (!(dp_proven && (by_types || use_as_bar)))
      greedy_baselines(space, incumbent, use_as_bar ? &from_dp : nullptr);
    if (from_dp.found)
      incumbent.offer(from_dp.placement, from_dp.prediction, from_dp.origin);
    if (dp_proven) {
      stats                = dp;
      stats.dp_transitions = dp.nodes;
      stats.note           = by_types ? "proven optimal by dynamic programming over device types (exact here: "
                                        "distinct devices, no shared link, transfers set by the devices' types)"
                                      : "proven optimal by dynamic programming (exact here: distinct devices, no "
                                        "shared link)";
      return stats;
    }
    if (options.gap > 0 && incumbent.found && !incumbent.may_improve(root, 0, 0)) {
      stats.nodes = stats.dp_transitions = dp.nodes;
      stats.note                         = "the first placement is within the gap of the root bound";
      return stats;
    }
    stats = branch_and_bound(space, with_time_left(options, start), incumbent, dp_exact);
    stats.nodes += dp.nodes;
    stats.dp_transitions = dp.nodes;
  }
  if (!stats.exhausted && stats.note.empty())
    stats.note = "stopped at the time or node limit: the best placement found is returned with its proven gap";
  return stats;
}

} // namespace pipesplit::solver
