// Brute force: every placement (stage boundaries, devices, and thread counts when automatic), each evaluated by the
// cost model itself, not by the searches' incremental bookkeeping. For tests on small instances.

#include "solver/search_algorithms.hpp"

#include <functional>

namespace pipesplit::solver {

SearchStats brute_force(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent)
{
  SearchStats stats;
  SearchBudget budget(options);
  const Problem& problem = space.problem;
  const bool reuse       = problem.deployment.device_reuse;
  Placement placement;
  std::vector<int> uses(space.slots, 0);

  // Thread counts of every stage, all combinations, then the prediction.
  std::function<void(size_t)> choose_threads = [&](size_t stage) {
    if (stage == placement.stages.size()) {
      ++stats.nodes;
      incumbent.offer(placement, predict(problem, placement), "brute");
      return;
    }
    const int slot =
        static_cast<int>(std::find(problem.devices.begin(), problem.devices.end(), placement.stages[stage].device) -
                         problem.devices.begin());
    for (int t = space.min_threads(slot); t <= space.max_threads(slot); ++t) {
      placement.stages[stage].threads = t;
      choose_threads(stage + 1);
    }
  };

  std::function<void(int, int)> extend = [&](int first, int last_slot) {
    if (budget.exceeded(stats.nodes)) {
      stats.exhausted = false;
      return;
    }
    if (first == space.blocks) {
      choose_threads(0);
      return;
    }
    if (static_cast<int>(placement.stages.size()) == space.max_stages)
      return;
    for (int slot = 0; slot < space.slots; ++slot) {
      if (slot == last_slot || (!reuse && uses[slot] > 0))
        continue;
      ++uses[slot];
      for (int last = first; last < space.blocks; ++last) {
        placement.stages.push_back(Stage{space.host(slot), first, last, space.default_threads(slot)});
        extend(last + 1, slot);
        placement.stages.pop_back();
      }
      --uses[slot];
    }
  };
  extend(0, -1);
  return stats;
}

} // namespace pipesplit::solver
