// Baselines a user compares a partition against: the best single device, the best split in two (Neurosurgeon-
// style: one cut, two devices) and an even split of the work over the fastest devices.

#include "solver/partial_placement.hpp"
#include "solver/search_algorithms.hpp"

#include <algorithm>
#include <numeric>

namespace pipesplit::solver {

namespace {

// May a candidate with these floors (exact with fixed threads) improve the incumbent, and beat or tie the bar?
// may_improve(..., stages - 1) also admits a full tie with the bar: offered first, such a candidate would be kept.
bool worth_evaluating(const Incumbent& incumbent, const Incumbent* bar, double period, double latency, size_t stages)
{
  return incumbent.may_improve(period, latency, stages) && (!bar || bar->may_improve(period, latency, stages - 1));
}

// The cost model is only consulted for candidates the incremental loads say may improve the incumbent.
void offer(const SearchSpace& space, Placement placement, Incumbent& incumbent, const Incumbent* bar,
           const std::string& origin)
{
  PartialPlacement partial(space);
  size_t pushed = 0;
  for (const Stage& stage : placement.stages) {
    const int slot =
        static_cast<int>(std::find(space.problem.devices.begin(), space.problem.devices.end(), stage.device) -
                         space.problem.devices.begin());
    if (!partial.push(slot, stage.last, stage.threads))
      break;
    ++pushed;
  }
  const bool fits = pushed == placement.stages.size();
  if (fits && worth_evaluating(incumbent, bar, partial.period(), partial.latency_floor(), placement.stages.size())) {
    const Prediction prediction = evaluate_placement(space.problem, placement);
    incumbent.offer(placement, prediction, origin);
  }
}

void best_two_way(const SearchSpace& space, Incumbent& incumbent, const Incumbent* bar)
{
  if (space.max_stages < 2)
    return;
  PartialPlacement partial(space); // one, extended and undone: no allocation per candidate
  for (int a = 0; a < space.slots; ++a)
    for (int cut = 0; cut + 1 < space.blocks; ++cut) {
      if (!partial.push(a, cut, space.default_threads(a)))
        break; // the first stage's memory only grows with the cut
      for (int b = 0; b < space.slots; ++b)
        if (b != a && partial.push(b, space.blocks - 1, space.default_threads(b))) {
          if (worth_evaluating(incumbent, bar, partial.period(), partial.latency_floor(), 2)) {
            Placement placement         = partial.placement();
            const Prediction prediction = evaluate_placement(space.problem, placement);
            incumbent.offer(placement, prediction, "greedy:two-way");
          }
          partial.pop();
        }
      partial.pop();
    }
}

// The s fastest devices (the source first if it is one of them), each given a share of the work proportional to
// its capacity, cut where the running FLOP total crosses each share.
void even_split(const SearchSpace& space, Incumbent& incumbent, const Incumbent* bar)
{
  const Problem& problem = space.problem;
  std::vector<int> order(space.slots);
  std::iota(order.begin(), order.end(), 0);
  auto capacity = [&](int slot) {
    return space.default_threads(slot) * problem.host(space.host(slot)).core_speed_flops;
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return capacity(a) > capacity(b); });
  const double total = space.flop(0, space.blocks - 1);
  for (int stages = 2; stages <= std::min({space.max_stages, space.slots, space.blocks}); ++stages) {
    std::vector<int> chosen(order.begin(), order.begin() + stages);
    std::stable_partition(chosen.begin(), chosen.end(),
                          [&](int slot) { return problem.source && space.host(slot) == *problem.source; });
    double capacity_sum = 0;
    for (int slot : chosen)
      capacity_sum += capacity(slot);
    Placement placement;
    int first     = 0;
    double target = 0;
    for (int i = 0; i < stages; ++i) {
      target += total * capacity(chosen[i]) / capacity_sum;
      int last = first;
      // Leave at least one block for each later stage.
      while (last < space.blocks - (stages - i) && space.flop(0, last) < target)
        ++last;
      if (i == stages - 1)
        last = space.blocks - 1;
      placement.stages.push_back(Stage{space.host(chosen[i]), first, last, space.default_threads(chosen[i])});
      first = last + 1;
    }
    offer(space, placement, incumbent, bar, "greedy:even-split");
  }
}

void best_single(const SearchSpace& space, Incumbent& incumbent, const Incumbent* bar)
{
  for (int slot = 0; slot < space.slots; ++slot)
    offer(space, Placement{{Stage{space.host(slot), 0, space.blocks - 1, space.default_threads(slot)}}}, incumbent, bar,
          "greedy:best-single");
}

} // namespace

void best_single(const SearchSpace& space, Incumbent& incumbent)
{
  best_single(space, incumbent, nullptr);
}

void greedy_baselines(const SearchSpace& space, Incumbent& incumbent, const Incumbent* bar)
{
  best_single(space, incumbent, bar);
  best_two_way(space, incumbent, bar);
  even_split(space, incumbent, bar);
}

} // namespace pipesplit::solver
