#pragma once
// The best complete placement a search has found so far, compared under the solvers' objective.

#include "cost_model.hpp"
#include "placement.hpp"

#include <string>

namespace pipesplit {

// Relative tolerance under which two periods (or latencies) count as equal: incremental sums and the cost model
// add the same numbers in different orders.
inline constexpr double tie_tolerance = 1e-12;

struct Incumbent {
  bool found = false;
  Placement placement;
  Prediction prediction;
  std::string origin; // which solver or baseline found it

  // Offer a candidate; keeps it if feasible and better. Returns true if kept.
  bool offer(const Placement& candidate, const Prediction& prediction, const std::string& origin);
  // Could a completion with these lower bounds (and at least `stages` stages) beat or tie-break the incumbent?
  bool may_improve(double period_floor, double latency_floor, size_t stages) const;
};

} // namespace pipesplit
