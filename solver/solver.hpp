#pragma once
// Throughput-optimal partitioning: minimise the period of the cost model (ties: lower latency, then fewer stages)
// over placements of contiguous stages, under the problem's constraints (allowed devices, device reuse, cut limit,
// memory, pinned source and sink).

#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "solver/layer.hpp"

#include <functional>
#include <string>

namespace pipesplit::solver {

enum class SolverKind { BranchAndBound, DynamicProgramming, TypeDynamicProgramming, BruteForce, Greedy };
enum class BoundKind {
  Full,         // compute, transfer and cut-limit bounds, a DP / greedy incumbent, best-first DFS, symmetry breaking
  TransferOnly, // the paper's: breadth-first, incumbent = best single device, prune on the cuts' transfer load only
};

SolverKind parse_solver_kind(const std::string& text); // throws std::invalid_argument
std::string to_string(SolverKind kind);
BoundKind parse_bound_kind(const std::string& text);
std::string to_string(BoundKind kind);

// What a long search reports now and then (solve() calls SolveOptions::progress, at most twice a second).
struct SolveProgress {
  double incumbent_s   = 0; // period of the best placement so far (infinity before the first)
  double lower_bound_s = 0; // proven lower bound on the optimal period
  long long nodes      = 0;
  double elapsed_s     = 0;
};

struct SolveOptions {
  SolverKind solver    = SolverKind::BranchAndBound;
  BoundKind bound      = BoundKind::Full;
  double time_limit_s  = 0; // 0: none
  long long node_limit = 0; // 0: none (a memory guard for breadth-first search)
  // Branch and bound returns the DP's placement as proven optimal when DP is exact for the problem (no search).
  bool dp_shortcut = true;
  // Stop once the period is proven within this relative gap of the optimum: (period - lower bound) / period <= gap.
  double gap                                         = 0;
  std::function<void(const SolveProgress&)> progress = nullptr; // optional
};

struct SolveResult {
  bool feasible = false; // false when no placement meets the constraints
  Placement placement;
  Prediction prediction;
  bool optimal = false;         // proven optimal (exhaustive search or exact DP completed)
  std::string solver;           // what produced the placement ("bnb", "dp", "greedy:best-single", ...)
  long long nodes_expanded = 0; // partial placements evaluated by searches, plus DP transitions
  long long dp_transitions = 0; // of which DP transitions (DP gives branch and bound its first incumbent)
  double wall_s            = 0;
  // Proven lower bound on the optimal period (the root relaxation, raised by what the search covered), and the
  // relative gap (period - lower_bound_s) / period: 0 when proven optimal.
  double lower_bound_s = 0;
  double gap           = 0;
  std::string note; // why not proven, why DP does not apply, ...
};

class SearchSpace;

SolveResult solve(const Problem& problem, const SolveOptions& options);
// The same on a search space already made of the problem (solver/search_space.hpp): callers asking several questions
// of one problem (a sweep point) make it once.
SolveResult solve(const SearchSpace& space, const SolveOptions& options);

// The best placement on one device (the reference a partition must beat). Infeasible if no device can hold the
// whole model in memory.
SolveResult best_single_device(const Problem& problem);
SolveResult best_single_device(const SearchSpace& space);

// Is the placement better than the other under the objective (period, then latency, then fewer stages)?
bool better(const Prediction& a, size_t stages_a, const Prediction& b, size_t stages_b);

} // namespace pipesplit::solver
