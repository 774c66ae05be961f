#pragma once
// Units of work for the capacity bounds of the objective search (objective_search.cpp). Each block b adds at least
// its least load t(d, b) to a device d that runs it (its core-seconds at the most core-efficient thread count, over
// the device's cores; least_loads()). Weigh the blocks with any w(b) >= 0: a device with r(d) = max_b w(b) / t(d, b)
// takes at most s x r(d) units of work within a slack s of its load, so the rest of the chain fits within a period
// only if the devices' capacities cover its units. Every choice of weights gives a valid bound (they are the Farkas
// certificates of the fractional assignment of blocks to devices); no single one is tight when the devices rank the
// blocks differently (a one-core board does fully connected layers as well as convolutions, a four-core one gains
// less from its cores on the former). work_measures() offers several: the least load over the devices, and each
// device's own loads. With blocks of two kinds (up to scale), the best weights of the fractional assignment are
// among them, or weigh one kind alone.

#include "solver/layer.hpp"
#include "solver/search_space.hpp"

#include <vector>

namespace pipesplit::solver {

class WorkMeasure {
public:
  // `unit[b]`: block b's weight; `least[slot][b]`: least_loads().
  WorkMeasure(std::vector<double> unit, const std::vector<std::vector<double>>& least);

  const std::vector<double>& unit() const { return unit_; }
  double rest(int next) const { return suffix_[next]; }          // units of blocks next..
  double ratio(int slot) const { return ratio_[slot]; }          // r(slot): units per second of load at most
  const std::vector<int>& by_ratio() const { return by_ratio_; } // slots, highest ratio first
  // Units a device takes within `capacity` units when it runs whole blocks of next..: the largest sum of a subset
  // of their units within `capacity` (to the comparison tolerance, so a lower bound stays one); `capacity` itself
  // when the subset sums are too many to keep, or when it holds the whole rest.
  double whole_blocks(int next, double capacity) const;

private:
  std::vector<double> unit_;
  std::vector<double> suffix_;                   // [b]: the units of blocks b..
  std::vector<std::vector<double>> subset_sums_; // [b]: every subset sum of the units of blocks b.., ascending
  std::vector<double> ratio_;
  std::vector<int> by_ratio_;
};

// [slot][block]: the least load the block adds to the slot's device (see above).
std::vector<std::vector<double>> least_loads(const SearchSpace& space);

// The least load over the devices first, then each device's own loads, a measure proportional to an earlier one
// left out (devices of one kind).
std::vector<WorkMeasure> work_measures(const SearchSpace& space);

// Per suffix b.. of `unit`: every sum of a subset of its entries, ascending, sums within a relative 1e-12 of each
// other counted once (the largest kept); empty (and so for every earlier suffix) beyond `max_sums` distinct sums.
std::vector<std::vector<double>> suffix_subset_sums(const std::vector<double>& unit, size_t max_sums);

} // namespace pipesplit::solver
