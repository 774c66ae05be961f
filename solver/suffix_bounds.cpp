#include "solver/suffix_bounds.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit::solver {

static constexpr double infinity = std::numeric_limits<double>::infinity();

double water_level(std::vector<std::pair<double, double>>& load_and_rate, double work)
{
  if (load_and_rate.empty())
    return infinity;
  std::sort(load_and_rate.begin(), load_and_rate.end());
  double rate_sum = 0;
  double weighted = 0; // sum of load x rate over the devices below the level
  double level    = load_and_rate.front().first;
  for (size_t i = 0; i < load_and_rate.size(); ++i) {
    rate_sum += load_and_rate[i].second;
    weighted += load_and_rate[i].first * load_and_rate[i].second;
    level           = (work + weighted) / rate_sum;
    const bool last = i + 1 == load_and_rate.size();
    if (last || level <= load_and_rate[i + 1].first)
      break;
  }
  return level;
}

double SuffixBounds::core_share(int slot, int block) const
{
  const int threads = space_.min_threads(slot);
  return threads * space_.stage_seconds(slot, threads, block, block) / space_.cores(slot);
}

SuffixBounds::SuffixBounds(const SearchSpace& space) : space_(space)
{
  const int n = space.blocks;
  seconds_per_flop_.assign(space.slots, std::vector<double>(n + 1, infinity));
  block_floor_.assign(n + 1, 0);
  latency_floor_.assign(n + 1, 0);
  for (int b = n - 1; b >= 0; --b) {
    const double flop = space.flop(b, b);
    double cheapest   = infinity;
    double fastest    = infinity;
    for (int s = 0; s < space.slots; ++s) {
      const double share      = core_share(s, b);
      seconds_per_flop_[s][b] = seconds_per_flop_[s][b + 1];
      if (flop > 0)
        seconds_per_flop_[s][b] = std::min(seconds_per_flop_[s][b], share / flop);
      cheapest = std::min(cheapest, share);
      fastest  = std::min(fastest, space.stage_seconds(s, space.max_threads(s), b, b));
    }
    block_floor_[b]   = std::max(block_floor_[b + 1], cheapest);
    latency_floor_[b] = latency_floor_[b + 1] + fastest;
  }
  cheapest_cut_.assign(n, infinity);
  for (int b = 0; b + 1 < n; ++b)
    for (int s = 0; s < space.slots; ++s)
      for (int t = 0; t < space.slots; ++t)
        if (s != t)
          cheapest_cut_[b] =
              std::min(cheapest_cut_[b],
                       space.path(space.host(s), space.host(t)).seconds(space.problem.chain.blocks[b].cut_bytes));
}

int SuffixBounds::earliest_end(const PartialPlacement& partial, int slot, double cap) const
{
  std::vector<int> ends;
  earliest_ends(partial, cap, ends);
  return ends[slot];
}

void SuffixBounds::earliest_ends(const PartialPlacement& partial, double cap, std::vector<int>& ends) const
{
  const int first = partial.next_block();
  const int n     = space_.blocks;
  ends.assign(space_.slots, first);
  if (first + 1 >= n)
    return;
  const bool reuse = space_.problem.deployment.device_reuse;
  // Work each device could still absorb within `cap`, at its best rate over any suffix starting after `first`.
  capacities_.clear();
  for (int s = 0; s < space_.slots; ++s) {
    const double load = reuse ? partial.core_share(s) : 0.0;
    if ((reuse || !partial.used(s)) && load < cap)
      capacities_.emplace_back((cap - load) / seconds_per_flop_[s][first + 1], s);
  }
  // The stages after this one run on at most `after` devices: only the `after` largest capacities count. Without
  // reuse the stage's own device is not one of them: the next largest stands in for it.
  const auto after  = static_cast<size_t>(std::max(0, space_.max_stages - partial.stage_count() - 1));
  const size_t kept = std::min(capacities_.size(), after + 1);
  std::partial_sort(capacities_.begin(), capacities_.begin() + kept, capacities_.end(), std::greater<>());
  double top = 0;
  for (size_t i = 0; i < std::min(after, capacities_.size()); ++i)
    top += capacities_[i].first;
  const double next = after < capacities_.size() ? capacities_[after].first : 0.0;
  for (int slot = 0; slot < space_.slots; ++slot) {
    double capacity = top;
    if (!reuse)
      for (size_t i = 0; i < std::min(after, capacities_.size()); ++i)
        if (capacities_[i].second == slot)
          capacity += next - capacities_[i].first;
    ends[slot] = first_fitting_end(first, capacity);
  }
}

// The first end of a stage starting at `first` after which the rest of the chain's work is at most `capacity`.
int SuffixBounds::first_fitting_end(int first, double capacity) const
{
  const int n = space_.blocks;
  int low = first, high = n - 1; // the remaining work shrinks as the stage grows
  while (low < high) {
    const int mid = (low + high) / 2;
    if (space_.flop(mid + 1, n - 1) <= capacity)
      high = mid;
    else
      low = mid + 1;
  }
  return low;
}

int SuffixBounds::stages_left(const PartialPlacement& partial) const
{
  int left = space_.max_stages - partial.stage_count();
  if (!space_.problem.deployment.device_reuse) {
    int unused = 0;
    for (int s = 0; s < space_.slots; ++s)
      unused += !partial.used(s);
    left = std::min(left, unused);
  }
  return left;
}

int SuffixBounds::reach(const PartialPlacement& partial, int slot, int first, double cap) const
{
  // A stage adds at least its core share to the device's load, and takes at least its time with the most threads.
  const double load = space_.problem.deployment.device_reuse ? partial.core_share(slot) : 0.0;
  if (load != 0)
    return reach_with_headroom(slot, first, cap - load, cap);
  if (cap != unloaded_reach_cap_) {
    unloaded_reach_cap_ = cap;
    unloaded_reach_.assign(static_cast<size_t>(space_.slots) * (space_.blocks + 1), -2);
  }
  int& known = unloaded_reach_[static_cast<size_t>(slot) * (space_.blocks + 1) + first];
  if (known == -2)
    known = reach_with_headroom(slot, first, cap, cap);
  return known;
}

int SuffixBounds::reach_with_headroom(int slot, int first, double headroom, double cap) const
{
  const int efficient = space_.min_threads(slot);
  const double scale  = static_cast<double>(efficient) / space_.cores(slot);
  const auto& share   = space_.seconds_prefix(slot, efficient);
  const auto& fastest = space_.seconds_prefix(slot, space_.max_threads(slot));
  int low = first - 1, high = space_.blocks - 1; // low fits (or is empty), find the last that fits
  while (low < high) {
    const int mid = (low + high + 1) / 2;
    if ((share[mid + 1] - share[first]) * scale <= headroom && fastest[mid + 1] - fastest[first] <= cap)
      low = mid;
    else
      high = mid - 1;
  }
  return low;
}

bool SuffixBounds::can_finish_within(const PartialPlacement& partial, double cap) const
{
  const int n    = space_.blocks;
  const int left = stages_left(partial);
  if (left >= n - partial.next_block())
    return true; // one stage per block is allowed: only the per-block floor binds, checked by period()
  const bool reuse = space_.problem.deployment.device_reuse;
  int position     = partial.next_block();
  for (int stage = 0; stage < left; ++stage) {
    int farthest = position - 1;
    for (int s = 0; s < space_.slots; ++s)
      if (s != (stage == 0 ? partial.last_slot() : -1) && (reuse || !partial.used(s)))
        farthest = std::max(farthest, reach(partial, s, position, cap));
    if (farthest == n - 1)
      return true;
    while (farthest >= position && cheapest_cut_[farthest] > cap) // end where some transfer fits
      --farthest;
    if (farthest < position)
      return false;
    position = farthest + 1;
  }
  return false;
}

double SuffixBounds::period(const PartialPlacement& partial) const
{
  const int first        = partial.next_block();
  const int last_slot    = partial.last_slot();
  const Problem& problem = space_.problem;
  const bool reuse       = problem.deployment.device_reuse;
  double bound           = std::max(partial.period(), block_floor_[first]);
  if (problem.deployment.window > 0 && problem.deployment.source_rate_hz <= 0)
    bound = std::max(bound, latency(partial) / problem.deployment.window);

  const double work = space_.flop(first, space_.blocks - 1);
  open_.clear();
  rates_.clear();
  double next_transfer = infinity;
  double output        = problem.sink ? infinity : 0.0;
  const double cut     = problem.chain.blocks[first - 1].cut_bytes;
  const double result  = problem.chain.blocks.back().cut_bytes;
  const int from       = space_.host(last_slot);
  for (int s = 0; s < space_.slots; ++s) {
    if (!reuse && partial.used(s))
      continue;
    const double rate = 1.0 / seconds_per_flop_[s][first];
    open_.emplace_back(reuse ? partial.core_share(s) : 0.0, rate);
    rates_.push_back(rate);
    const int host = space_.host(s);
    if (s != last_slot)
      next_transfer = std::min(next_transfer, space_.path(from, host).seconds(cut));
    if (problem.sink)
      output = std::min(output, host == *problem.sink ? 0.0 : space_.path(host, *problem.sink).seconds(result));
  }
  if (open_.empty())
    return infinity;
  bound = std::max({bound, next_transfer, output});
  if (work > 0) {
    bound                  = std::max(bound, water_level(open_, work));
    const auto stages_left = static_cast<size_t>(this->stages_left(partial));
    if (stages_left < rates_.size()) {
      std::partial_sort(rates_.begin(), rates_.begin() + stages_left, rates_.end(), std::greater<>());
      double best_rates = 0;
      for (size_t i = 0; i < stages_left; ++i)
        best_rates += rates_[i];
      bound = std::max(bound, work / best_rates);
    }
  }
  return bound;
}

double SuffixBounds::least_covering_period(double from) const
{
  const PartialPlacement empty(space_);
  if (from <= 0 || can_finish_within(empty, from))
    return from;
  double low = from, high = 2 * from; // low fails: find a cap that covers, then bisect
  for (int i = 0; i < 64 && !can_finish_within(empty, high); ++i) {
    low = high;
    high *= 2;
  }
  for (int i = 0; i < 50 && high > low * (1 + 1e-12); ++i) {
    const double mid                             = (low + high) / 2;
    (can_finish_within(empty, mid) ? high : low) = mid;
  }
  return low;
}

double SuffixBounds::root_period() const
{
  const Problem& problem = space_.problem;
  const Deployment& pace = problem.deployment;
  double bound           = block_floor_[0];
  if (pace.source_rate_hz > 0)
    bound = std::max(bound, 1.0 / pace.source_rate_hz);
  else if (pace.window > 0)
    bound = std::max(bound, latency_floor_[0] / pace.window);
  double input  = problem.source ? infinity : 0.0;
  double output = problem.sink ? infinity : 0.0;
  open_.clear();
  rates_.clear();
  for (int s = 0; s < space_.slots; ++s) {
    const int host = space_.host(s);
    if (problem.source)
      input = std::min(
          input, host == *problem.source ? 0.0 : space_.path(*problem.source, host).seconds(problem.chain.input_bytes));
    if (problem.sink)
      output = std::min(output, host == *problem.sink
                                    ? 0.0
                                    : space_.path(host, *problem.sink).seconds(problem.chain.blocks.back().cut_bytes));
    open_.emplace_back(0.0, 1.0 / seconds_per_flop_[s][0]);
    rates_.push_back(open_.back().second);
  }
  if (open_.empty())
    return infinity;
  bound             = std::max({bound, input, output, least_covering_period(bound)});
  const double work = space_.flop(0, space_.blocks - 1);
  if (work > 0) {
    bound             = std::max(bound, water_level(open_, work));
    const auto stages = static_cast<size_t>(space_.max_stages);
    if (stages < rates_.size()) {
      std::partial_sort(rates_.begin(), rates_.begin() + stages, rates_.end(), std::greater<>());
      double best_rates = 0;
      for (size_t i = 0; i < stages; ++i)
        best_rates += rates_[i];
      bound = std::max(bound, work / best_rates);
    }
  }
  return bound;
}

double SuffixBounds::latency(const PartialPlacement& partial) const
{
  return partial.latency_floor() + latency_floor_[partial.next_block()];
}

} // namespace pipesplit::solver
