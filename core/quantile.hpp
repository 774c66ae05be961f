#pragma once
// Latency percentiles, one rule for the replay and the schedule.

#include <vector>

namespace pipesplit::core {

// The q-quantile (0..1) of values, nearest-rank; 0 for no values.
double quantile(std::vector<double> values, double q);

} // namespace pipesplit::core
