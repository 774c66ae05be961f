#pragma once
// Thread counts for stages that share a device. The device's load is
//   max(sum_s threads_s x compute_s(threads_s) / cores, max_s compute_s(threads_s)):
// more threads shorten a stage but, below perfect scaling, burn more core-seconds. For a cap M on the longest
// stage, the fewest threads meeting the cap minimise the core-seconds (threads x compute grows with threads under
// Amdahl's law), so trying every achievable cap gives the optimum exactly.

#include "solver/layer.hpp"
#include <functional>
#include <vector>

namespace pipesplit::solver {

struct ThreadChoice {
  double load = 0;          // the device's load with these thread counts
  std::vector<int> threads; // per stage
};

// compute(s, t): seconds of stage s with t threads (t in 1..cores), non-increasing in t.
ThreadChoice best_thread_counts(int stages, int cores, const std::function<double(int, int)>& compute);

// The load of given thread counts.
double device_load(const std::vector<int>& threads, const std::vector<double>& compute_s, int cores);

} // namespace pipesplit::solver
