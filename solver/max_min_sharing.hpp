#pragma once
// Weighted max-min fair sharing with bounds, the rule SimGrid's solver ("lmm", CM02/LV08 networks and the Cas01 CPU)
// applies between the activities that use a resource at the same time. Every variable v gets rate level / penalty_v
// at the level where the first of its constraints saturates, or its bound if that comes first (progressive filling):
// activities with a smaller penalty (a shorter route) get proportionally more.

#include <vector>

namespace pipesplit {

struct SharingElement {
  int constraint = 0;
  double weight  = 1; // capacity consumed per unit of the variable's rate
};

struct SharingVariable {
  double penalty = 1;  // > 0
  double bound   = -1; // < 0: none
  std::vector<SharingElement> elements;
};

// Rates, in the variables' order. `capacities[c]` is the capacity of constraint c; every constraint is shared (the
// sum of weight x rate over its variables stays within the capacity). A variable with no element and no bound gets
// an infinite rate.
std::vector<double> max_min_rates(const std::vector<double>& capacities, const std::vector<SharingVariable>& variables);

} // namespace pipesplit
