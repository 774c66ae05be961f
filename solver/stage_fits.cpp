#include "solver/stage_fits.hpp"
#include "solver/work_measures.hpp"

#include <algorithm>
#include <cmath>

namespace pipesplit::solver {

StageFits::StageFits(const SearchSpace& space) : space_(space), remembered_(space.slots)
{
  for (const auto& least : least_loads(space)) {
    least_prefix_.emplace_back(1, 0);
    for (double load : least)
      least_prefix_.back().push_back(least_prefix_.back().back() + load);
  }
}

bool StageFits::fits(const PartialPlacement& partial, int slot, int first, int last, double limit) const
{
  const auto& least   = least_prefix_[slot];
  const auto& fastest = space_.seconds_prefix(slot, space_.max_threads(slot));
  return partial.core_share(slot) + least[last + 1] - least[first] <= limit &&
         fastest[last + 1] - fastest[first] <= limit;
}

StageFits::Remembered& StageFits::remembered(const PartialPlacement& partial, int slot, double limit) const
{
  Remembered& r = remembered_[slot];
  if (r.core_share != partial.core_share(slot) || r.limit != limit) {
    r.core_share = partial.core_share(slot);
    r.limit      = limit;
    r.earliest   = -1;
    r.reach.assign(space_.blocks, -2);
  }
  return r;
}

int StageFits::reach(const PartialPlacement& partial, int slot, int first, double limit) const
{
  return reach(remembered(partial, slot, limit), partial, slot, first, limit);
}

int StageFits::reach(Remembered& remembered, const PartialPlacement& partial, int slot, int first, double limit) const
{
  if (first >= space_.blocks)
    return first - 1;
  if (std::isinf(limit)) // every stage fits
    return space_.blocks - 1;
  int& known = remembered.reach[first];
  if (known != -2)
    return known;
  int low = first - 1, high = space_.blocks - 1; // low fits (or is empty): find the last that fits
  while (low < high) {
    const int mid = (low + high + 1) / 2;
    if (fits(partial, slot, first, mid, limit))
      low = mid;
    else
      high = mid - 1;
  }
  return known = low;
}

int StageFits::earliest_start(const PartialPlacement& partial, int slot, double limit) const
{
  int& known = remembered(partial, slot, limit).earliest;
  if (known < 0) {
    int low = 0, high = space_.blocks; // high fits (the empty rest): find the first that fits
    while (low < high) {
      const int mid = (low + high) / 2;
      if (fits(partial, slot, mid, space_.blocks - 1, limit))
        high = mid;
      else
        low = mid + 1;
    }
    known = low;
  }
  return std::max(known, partial.next_block());
}

bool StageFits::completes(const PartialPlacement& partial, double limit, int new_allowed) const
{
  const int left = space_.max_stages - partial.stage_count();
  if (partial.complete() || std::isinf(limit) || left > 3)
    return true;
  const bool reuse = space_.problem.deployment.device_reuse;
  const int start  = partial.next_block();
  // May `slot` follow `previous`, with `fresh` new devices taken already by the sequence?
  auto allowed = [&](int slot, int previous, int fresh) {
    return slot != previous && (partial.used(slot) ? reuse : fresh < new_allowed);
  };
  for (int a = 0; a < space_.slots; ++a) {
    if (!allowed(a, partial.last_slot(), 0))
      continue;
    if (earliest_start(partial, a, limit) <= start)
      return true;
    const int end_a   = left >= 2 ? reach(partial, a, start, limit) : start - 1;
    const int fresh_a = !partial.used(a);
    for (int b = 0; b < space_.slots && end_a >= start; ++b) {
      if (!allowed(b, a, fresh_a))
        continue;
      if (earliest_start(partial, b, limit) <= end_a + 1)
        return true;
      const int end_b   = left >= 3 ? reach(partial, b, end_a + 1, limit) : end_a;
      const int fresh_b = fresh_a + !partial.used(b);
      for (int c = 0; c < space_.slots && end_b > end_a; ++c)
        if (c == a ? shares_first_and_third(partial, a, b, limit)
                   : allowed(c, b, fresh_b) && earliest_start(partial, c, limit) <= end_b + 1)
          return true;
    }
  }
  return false;
}

// Three stages on a, b, a: some end of the first lets b reach so far that a fits both its stages.
bool StageFits::shares_first_and_third(const PartialPlacement& partial, int a, int b, double limit) const
{
  const int start = partial.next_block(), n = space_.blocks;
  const auto& least   = least_prefix_[a];
  const auto& fastest = space_.seconds_prefix(a, space_.max_threads(a));
  Remembered& from_b  = remembered(partial, b, limit); // asked once: the loop only reads b's reaches
  for (int end_a = reach(partial, a, start, limit); end_a >= start; --end_a) {
    const int end_b = reach(from_b, partial, b, end_a + 1, limit);
    if (end_b <= end_a || end_b >= n - 1)
      continue; // b takes nothing, or the whole rest (two stages: asked already)
    if (partial.core_share(a) + least[end_a + 1] - least[start] + least[n] - least[end_b + 1] <= limit &&
        fastest[n] - fastest[end_b + 1] <= limit)
      return true;
  }
  return false;
}

int StageFits::shortest_end(const PartialPlacement& partial, int slot, bool closed, double limit) const
{
  const int left  = space_.max_stages - partial.stage_count();
  const int first = partial.next_block();
  if (left <= 1)
    return space_.blocks - 1;
  if (left > 3 || std::isinf(limit))
    return first;
  const bool reuse = space_.problem.deployment.device_reuse;
  // May `other` take a stage after this one (the slot itself: used by then)?
  auto allowed = [&](int other) { return other == slot || partial.used(other) ? reuse : !closed; };
  int shortest = space_.blocks - 1;
  for (int b = 0; b < space_.slots && shortest > first; ++b) {
    if (b == slot || !allowed(b))
      continue;
    shortest = std::min(shortest, earliest_start(partial, b, limit) - 1); // b alone finishes
    for (int c = 0; c < space_.slots && left == 3 && shortest > first; ++c)
      if (c != b && allowed(c))
        shortest = std::min(shortest, earliest_pair_start(partial, b, c, limit) - 1);
  }
  return std::max(first, shortest);
}

// The first block s from which b then c may finish the chain: b's stage from s reaches the block before c's earliest
// start. b's reach never falls as s grows (its stage only sheds blocks), so the first such s comes by bisection; a
// relaxation where b takes nothing (c alone from s). The slot about to take a stage counts with its load before it.
int StageFits::earliest_pair_start(const PartialPlacement& partial, int b, int c, double limit) const
{
  const int from_c   = earliest_start(partial, c, limit);
  Remembered& from_b = remembered(partial, b, limit);
  int low = partial.next_block() + 1, high = space_.blocks; // high holds: reach(b, blocks) = blocks - 1
  while (low < high) {
    const int mid = (low + high) / 2;
    if (reach(from_b, partial, b, mid, limit) + 1 >= from_c)
      high = mid;
    else
      low = mid + 1;
  }
  return low;
}

} // namespace pipesplit::solver
