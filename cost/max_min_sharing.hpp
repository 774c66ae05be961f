#pragma once
// Weighted max-min fair sharing with bounds, the rule SimGrid's solver ("lmm", CM02/LV08 networks and the Cas01 CPU)
// applies between the activities that use a resource at the same time. Every variable v gets rate level / penalty_v
// at the level where the first of its constraints saturates, or its bound if that comes first (progressive filling):
// activities with a smaller penalty (a shorter route) get proportionally more.

#include "cost/layer.hpp"
#include <vector>

namespace pipesplit::cost {

struct SharingElement {
  int constraint = 0;
  double weight  = 1; // capacity consumed per unit of the variable's rate
};

struct SharingVariable {
  double penalty = 1;  // > 0
  double bound   = -1; // < 0: none
  std::vector<SharingElement> elements;
};

struct SharingConstraint {
  double capacity = 0;
  // A shared constraint holds the sum of weight x rate over its variables within the capacity. A FATPIPE one gives
  // every variable the capacity, except that SimGrid 3.32 still ranks them by penalty: its level is capacity /
  // max(weight / penalty), reached by all its variables at once, so a flow with twice the penalty of another gets
  // half the capacity while both are active.
  bool fatpipe = false;
};

// Rates, in the variables' order. A variable with no element and no bound gets an infinite rate.
std::vector<double> max_min_rates(const std::vector<SharingConstraint>& constraints,
                                  const std::vector<SharingVariable>& variables);

} // namespace pipesplit::cost
