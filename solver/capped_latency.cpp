#include "solver/capped_latency.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit::solver {

static constexpr double infinity = std::numeric_limits<double>::infinity();

// The time of a transfer, or infinity when its sender alone would take more than the cap.
static double capped_transfer(const SearchSpace& space, int from_host, int to_host, double bytes, double cap)
{
  if (from_host == to_host)
    return 0;
  const double seconds = space.path(from_host, to_host).seconds(bytes);
  return seconds <= cap ? seconds : infinity;
}

double CappedLatency::from_stage(const SearchSpace& space, double cap, int first, int slot) const
{
  const Problem& problem = space.problem;
  const int n            = space.blocks;
  const int threads      = space.max_threads(slot);
  double best            = infinity;
  for (int last = first; last < n; ++last) {
    const double compute = space.stage_seconds(slot, threads, first, last);
    if (compute > cap)
      break; // only grows with the stage
    const double rest = last + 1 == n ? (problem.sink ? capped_transfer(space, space.host(slot), *problem.sink,
                                                                        problem.chain.blocks.back().cut_bytes, cap)
                                                      : 0.0)
                                      : after_[static_cast<size_t>(last + 1) * slots_ + slot];
    best              = std::min(best, compute + rest);
  }
  return best;
}

CappedLatency::CappedLatency(const SearchSpace& space, double cap) : slots_(space.slots)
{
  const int n = space.blocks;
  after_.assign(static_cast<size_t>(n + 1) * slots_, infinity);
  std::vector<double> stage(slots_); // from_stage() of the block being filled in, per slot
  for (int next = n - 1; next >= 0; --next) {
    for (int slot = 0; slot < slots_; ++slot)
      stage[slot] = from_stage(space, cap, next, slot);
    if (next == 0)
      break;
    const double bytes = space.problem.chain.blocks[next - 1].cut_bytes;
    for (int previous = 0; previous < slots_; ++previous) {
      double& best = after_[static_cast<size_t>(next) * slots_ + previous];
      for (int slot = 0; slot < slots_; ++slot)
        if (slot != previous && stage[slot] < infinity)
          best =
              std::min(best, capped_transfer(space, space.host(previous), space.host(slot), bytes, cap) + stage[slot]);
    }
  }
  const Problem& problem = space.problem;
  whole_                 = infinity;
  for (int slot = 0; slot < slots_; ++slot) {
    const double input = problem.source
                             ? capped_transfer(space, *problem.source, space.host(slot), problem.chain.input_bytes, cap)
                             : 0.0;
    whole_             = std::min(whole_, input + stage[slot]);
  }
}

} // namespace pipesplit::solver
