#pragma once
// The solvers, each improving an incumbent. solver.cpp chooses and combines them.

#include "solver/incumbent.hpp"
#include "solver/layer.hpp"
#include "solver/search_space.hpp"
#include "solver/solver.hpp"

#include <chrono>
#include <functional>
#include <limits>
#include <string>

namespace pipesplit::solver {

struct SearchStats {
  long long nodes          = 0; // partial placements evaluated (DP: transitions)
  long long dp_transitions = 0;
  bool exhausted           = true; // the whole space was covered (not stopped by a time or node limit)
  // Lower bound on the period of every placement the search neither evaluated nor pruned against the incumbent
  // (the subtrees a limit left; 0 when the search cannot tell). Meaningless when exhausted.
  double unexplored_bound_s = 0;
  std::string note;
};

// Stops a search at its time or node limit; checks the clock only every few thousand nodes, and then reports
// progress (options.progress) at most twice a second, asking `bound` for the current lower bound.
class SearchBudget {
public:
  explicit SearchBudget(const SolveOptions& options);
  bool exceeded(long long nodes);
  void watch(const Incumbent* incumbent, std::function<double()> bound);

private:
  const SolveOptions& options_;
  std::chrono::steady_clock::time_point start_, deadline_, next_report_;
  bool has_deadline_;
  long long node_limit_;
  bool exceeded_              = false;
  const Incumbent* incumbent_ = nullptr;
  std::function<double()> bound_;
};

// The options with what is left of their time limit since `start`: one limit for all the stages of a solve.
SolveOptions with_time_left(const SolveOptions& options, std::chrono::steady_clock::time_point start);

// The default solver: greedy baselines and DP for a first incumbent, then branch_and_bound() unless DP is exact
// here or, with a gap, the incumbent is already within it of `root` (a lower bound on every placement's period).
// With BoundKind::TransferOnly, the paper's search instead.
SearchStats branch_and_bound_solve(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent,
                                   double root);
// Exact branch and bound: best-first depth-first search over stages with the bounds of suffix_bounds.hpp.
// `independent_transfers`: dp_exactness(space) is empty (enables a dominance test between partial placements).
SearchStats branch_and_bound(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent,
                             bool independent_transfers);
// The paper's algorithm: breadth-first, pruning only on the transfer load of the cuts made.
SearchStats transfer_only_branch_and_bound(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent);
// Dynamic programming over (blocks placed, devices used per symmetry class, class of the last device). Exact when
// `dp_exactness` returns an empty string; otherwise its placement is still valid, only maybe not optimal.
SearchStats dynamic_programming(const SearchSpace& space, Incumbent& incumbent);
std::string dp_exactness(const SearchSpace& space); // empty when DP is exact, else why not
// Dynamic programming over device types (type_dynamic_programming.cpp): the optimal period by a binary search of
// feasibility passes over (devices used per type, last type), then its latency ties broken. Applies, and is then
// exact, when `type_dp_exactness` returns an empty string; otherwise it leaves the incumbent alone and says why.
SearchStats type_dynamic_programming(const SearchSpace& space, Incumbent& incumbent);
std::string type_dp_exactness(const SearchSpace& space);
// Does the default solver take the DP over types rather than the DP over classes? Where it applies and the DP over
// classes has 10,000 states or more: from there it is faster (bench/typed_dp_bench: 1.7x at 16 boards x 50 blocks,
// 7x at 64 boards x 96 blocks; below, both take under a millisecond and the DP over classes is up to 3x faster).
bool prefer_type_dp(const SearchSpace& space);
SearchStats brute_force(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent);
// Best single device, best two-way split (Neurosurgeon-style), even split by work. With `bar` (a placement that
// will be offered to the incumbent after them), a candidate that cannot beat or tie the bar is not evaluated: the
// incumbent then ends the same once the bar is offered, with fewer cost-model evaluations.
void greedy_baselines(const SearchSpace& space, Incumbent& incumbent, const Incumbent* bar = nullptr);
void best_single(const SearchSpace& space, Incumbent& incumbent);

} // namespace pipesplit::solver
