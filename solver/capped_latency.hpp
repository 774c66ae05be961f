#pragma once
// A lower bound on the latency of the rest of a placement whose every stage and transfer must fit within a period
// cap, for the search of the placements that tie with a proven period (branch_and_bound.cpp, Pass::Ties). Relaxes
// what ties the devices together (each device's load over all its stages, links shared by several transfers,
// memory, the devices already used): each stage is on any device but the previous one and takes at most `cap` with
// the device's most threads, each transfer's sender time is at most `cap`. Among those chains, the least sum of
// stage and transfer times, by dynamic programming over (next block, previous device).

#include "solver/search_space.hpp"

#include <vector>

namespace pipesplit::solver {

class CappedLatency {
public:
  CappedLatency(const SearchSpace& space, double cap);

  // Least latency of blocks `next`.. (0 < next < blocks) after a stage on `previous_slot`, from the cut's transfer
  // to the sink's; infinity when no such chain fits within the cap.
  double suffix(int next, int previous_slot) const
  {
    return after_[static_cast<size_t>(next) * slots_ + previous_slot];
  }
  // Least latency of a whole placement (from the source's input on), infinity if none fits.
  double whole() const { return whole_; }

private:
  // Least latency of blocks `first`.. on a stage starting there on `slot` (its compute, then what follows).
  double from_stage(const SearchSpace& space, double cap, int first, int slot) const;

  int slots_ = 0;
  std::vector<double> after_; // [next block][previous slot]
  double whole_ = 0;
};

} // namespace pipesplit::solver
