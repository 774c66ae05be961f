#include "analysis/acceleration_region.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit::analysis {

static constexpr double infinity = std::numeric_limits<double>::infinity();

RegionVerdict acceleration_region(const Problem& problem)
{
  if (problem.source || problem.sink) { // the paper's setting: no input or output transfer
    Problem paper = problem;            // copied only then: a sweep asks at every point
    paper.source.reset();
    paper.sink.reset();
    return acceleration_region(paper);
  }
  return acceleration_region(SearchSpace(problem));
}

namespace {

// Single devices: the device's load is the whole chain's compute time.
void best_single(const SearchSpace& space, RegionVerdict& v)
{
  v.single_period = infinity;
  for (int s = 0; s < space.slots; ++s) {
    const double whole = space.stage_seconds(s, space.default_threads(s), 0, space.blocks - 1);
    if (whole < v.single_period) {
      v.single_period = whole;
      v.single_device = space.host(s);
    }
  }
}

// One cut: every (cut, first device, second device); the cost model's own loads through a partial placement. Also
// tau_min, the fastest transfer of any cut that splits the work.
void best_one_cut(const SearchSpace& space, RegionVerdict& v)
{
  const int n      = space.blocks;
  v.two_way_period = infinity;
  v.tau_min        = infinity;
  PartialPlacement partial(space);
  for (int k = 0; k + 1 < n; ++k) {
    const double before = space.flop(0, k);
    const bool splits   = before > 0 && before < space.flop(0, n - 1);
    for (int a = 0; a < space.slots; ++a)
      for (int b = 0; b < space.slots; ++b) {
        if (a == b)
          continue;
        if (splits)
          v.tau_min = std::min(
              v.tau_min, space.path(space.host(a), space.host(b)).seconds(space.problem.chain.blocks[k].cut_bytes));
        if (!partial.push(a, k, space.default_threads(a)))
          continue;
        if (partial.push(b, n - 1, space.default_threads(b))) {
          v.two_way_period = std::min(v.two_way_period, partial.period());
          partial.pop();
        }
        partial.pop();
      }
  }
}

// Upper bound on any placement's speed-up over the best single device's period `best`. Work conservation: device i
// adds at least its core share of a block to its load, so within a period P it processes at most P x (its best FLOP
// per core-share second) of FLOP; no stage is shorter than the largest block, no transfer than tau_min.
double speedup_bound(const SearchSpace& space, double best, double tau_min)
{
  const int n          = space.blocks;
  double rate_sum      = 0;
  double largest_block = 0;
  for (int s = 0; s < space.slots; ++s) {
    const int threads = space.min_threads(s);
    double rate       = 0;
    for (int k = 0; k < n; ++k) {
      const double share = threads * space.stage_seconds(s, threads, k, k) / space.cores(s);
      if (space.flop(k, k) > 0 && share > 0)
        rate = std::max(rate, space.flop(k, k) / share);
    }
    rate_sum += rate;
  }
  const double capacity = rate_sum * best / space.flop(0, n - 1);
  for (int k = 0; k < n; ++k) {
    double fastest = infinity;
    for (int s = 0; s < space.slots; ++s)
      fastest = std::min(fastest, space.stage_seconds(s, space.max_threads(s), k, k));
    largest_block = std::max(largest_block, fastest);
  }
  const double partitioned = std::min(
      {capacity, largest_block > 0 ? best / largest_block : infinity, tau_min > 0 ? best / tau_min : infinity});
  return std::max(1.0, partitioned);
}

} // namespace

RegionVerdict acceleration_region(const SearchSpace& space)
{
  if (space.problem.source || space.problem.sink)
    return acceleration_region(space.problem);
  RegionVerdict v;
  best_single(space, v);
  best_one_cut(space, v);
  const double best = v.single_period;
  v.two_way_speedup = best / v.two_way_period;
  v.helps_two_way   = v.two_way_period < best;
  v.network_allows  = v.tau_min < best;
  v.speedup_bound   = speedup_bound(space, best, v.tau_min);
  return v;
}

} // namespace pipesplit::analysis
