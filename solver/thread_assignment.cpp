#include "solver/thread_assignment.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit::solver {

double device_load(const std::vector<int>& threads, const std::vector<double>& compute_s, int cores)
{
  double core_seconds = 0;
  double longest      = 0;
  for (size_t s = 0; s < threads.size(); ++s) {
    core_seconds += threads[s] * compute_s[s];
    longest = std::max(longest, compute_s[s]);
  }
  return std::max(core_seconds / cores, longest);
}

ThreadChoice best_thread_counts(int stages, int cores, const std::function<double(int, int)>& compute)
{
  std::vector<std::vector<double>> seconds(stages, std::vector<double>(cores + 1));
  std::vector<double> caps;
  for (int s = 0; s < stages; ++s)
    for (int t = 1; t <= cores; ++t) {
      seconds[s][t] = compute(s, t);
      caps.push_back(seconds[s][t]);
    }
  ThreadChoice best{std::numeric_limits<double>::infinity(), {}};
  std::vector<int> threads(stages);
  std::vector<double> compute_s(stages);
  for (double cap : caps) {
    bool feasible = true;
    for (int s = 0; s < stages && feasible; ++s) {
      int t = 1;
      while (t < cores && seconds[s][t] > cap)
        ++t;
      feasible     = seconds[s][t] <= cap;
      threads[s]   = t;
      compute_s[s] = seconds[s][t];
    }
    if (!feasible)
      continue;
    const double load = device_load(threads, compute_s, cores);
    if (load < best.load) {
      best.load    = load;
      best.threads = threads;
    }
  }
  // Spend the slack on latency: give stages more threads while the device's load does not grow.
  for (int s = 0; s < stages; ++s)
    compute_s[s] = seconds[s][best.threads[s]];
  for (int s = 0; s < stages; ++s)
    while (best.threads[s] < cores) {
      auto trial      = best.threads;
      auto trial_time = compute_s;
      ++trial[s];
      trial_time[s] = seconds[s][trial[s]];
      if (device_load(trial, trial_time, cores) > best.load)
        break;
      best.threads = trial;
      compute_s    = trial_time;
    }
  return best;
}

} // namespace pipesplit::solver
