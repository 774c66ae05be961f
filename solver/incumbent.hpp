#pragma once
// The best complete placement a search has found so far, compared under the solvers' objective.

#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "solver/layer.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pipesplit::solver {

// Relative tolerance under which two periods (or latencies) count as equal: incremental sums and the cost model
// add the same numbers in different orders.
inline constexpr double tie_tolerance = 1e-12;

struct Incumbent {
  bool found = false;
  Placement placement;
  Prediction prediction;
  std::string origin; // which solver or baseline found it

  // Enumeration (contention_solver.hpp): with `collect_below_s` > 0, the feasible placements whose period is below
  // it are kept in `collected`, at most `collect_limit` of them: when full, a placement replaces the kept one of
  // highest period if its own is lower. `collect_overflow` says the collection filled up: placements may have been
  // left out, each with a period at least collect_threshold(). `collected` is a max-heap on the period.
  double collect_below_s = 0;
  size_t collect_limit   = 0;
  std::vector<std::pair<Placement, Prediction>> collected;
  bool collect_overflow = false;
  // The period under which a placement is still collected: collect_below_s, or once full the highest kept.
  double collect_threshold() const;

  // With `gap` > 0, only a period below period x (1 - gap) matters (latency ties are not broken).
  double gap = 0;

  // The period a search must beat to matter, once there is one.
  bool bounded() const { return found || collect_below_s > 0; }
  double period_bound() const { return collect_below_s > 0 ? collect_threshold() : prediction.period_s * (1 - gap); }

  // Offer a candidate; keeps it if feasible and better. Returns true if kept.
  bool offer(const Placement& candidate, const Prediction& prediction, const std::string& origin);
  // Could a completion with these lower bounds (and at least `stages` stages) beat or tie-break the incumbent?
  bool may_improve(double period_floor, double latency_floor, size_t stages) const;

private:
  void collect(const Placement& candidate, const Prediction& candidate_prediction);
};

} // namespace pipesplit::solver
