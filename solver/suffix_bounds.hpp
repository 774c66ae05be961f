#pragma once
// Lower bounds on what the blocks not yet placed will cost, for branch and bound. All are relaxations of the cost
// model (valid for every completion of a partial placement):
//  - a block's own floor: it runs somewhere, and adds at least its cheapest core-share to that device's load;
//  - water-filling: the remaining FLOP, split fractionally over the devices still open, each at its best
//    seconds-per-FLOP over the remaining blocks and starting from the load it already carries;
//  - cut limit: at most k more stages use at most k devices, at best the k fastest;
//  - the next cut's transfer to the cheapest open device, and the output to the sink from the cheapest one;
//  - covering: with a target period, the fewest stages that can cover the remaining blocks (each stage on some open
//    device whose load stays within the target, cut only where some transfer fits) must not exceed the stages left.

#include "solver/layer.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"

#include <vector>

namespace pipesplit::solver {

class SuffixBounds {
public:
  explicit SuffixBounds(const SearchSpace& space);

  // Lower bound on the period of any completion of `partial` (whose next block is > 0 and < blocks).
  double period(const PartialPlacement& partial) const;
  // Lower bound on the period of every placement: the same relaxations before any stage is placed, with the input
  // from the source to the cheapest device, the source's own pace, and the least cap the covering test accepts.
  double root_period() const;
  // Lower bound on the latency of any completion.
  double latency(const PartialPlacement& partial) const;
  // The first block at which a stage starting at the partial's next block on `slot` may end, if no load may exceed
  // `cap`: the blocks after it must fit, fractionally, in what the open devices can still do within `cap`, counting
  // only the largest capacities of as many devices as stages remain after this one (each stage runs on one device).
  int earliest_end(const PartialPlacement& partial, int slot, double cap) const;
  // earliest_end() of every slot at once (`ends`, per slot), in one pass over the devices' capacities.
  void earliest_ends(const PartialPlacement& partial, double cap, std::vector<int>& ends) const;
  // Can the remaining blocks be covered by the stages still allowed with no load above `cap`? A relaxation:
  // false proves that no completion reaches `cap`.
  bool can_finish_within(const PartialPlacement& partial, double cap) const;

private:
  int stages_left(const PartialPlacement& partial) const;
  int first_fitting_end(int first, double capacity) const;
  // The least cap at which can_finish_within() holds from the start (at least `from`; a cap it refuses).
  double least_covering_period(double from) const;
  // Last block b >= first such that blocks first..b fit on `slot` within `cap`, or first - 1.
  int reach(const PartialPlacement& partial, int slot, int first, double cap) const;
  int reach_with_headroom(int slot, int first, double headroom, double cap) const; // headroom: cap - device load

  // Least load a block adds to a slot's device: its most core-efficient thread count, spread over all cores.
  double core_share(int slot, int block) const;

  const SearchSpace& space_;
  std::vector<std::vector<double>> seconds_per_flop_;      // [slot][first block]: min over blocks >= first
  std::vector<double> block_floor_;                        // [first block]: max over blocks >= first of min over slots
  std::vector<double> latency_floor_;                      // [first block]: sum of fastest stage times
  std::vector<double> cheapest_cut_;                       // [block]: fastest transfer of its cut between two devices
  mutable std::vector<std::pair<double, double>> open_;    // scratch: (load, rate) of open devices
  mutable std::vector<double> rates_;                      // scratch
  mutable std::vector<std::pair<double, int>> capacities_; // scratch: (work within a cap, slot)
  // reach() of a slot whose device carries no load yet depends only on (slot, first, cap), and the search asks it
  // again and again at the incumbent's period: remembered per [slot][first] for the last cap asked (-2: not yet).
  mutable double unloaded_reach_cap_ = -1;
  mutable std::vector<int> unloaded_reach_;
};

// Smallest P with sum over devices of max(0, P - load_i) x rate_i >= work (infinity without devices).
// Sorts `load_and_rate`.
double water_level(std::vector<std::pair<double, double>>& load_and_rate, double work);

} // namespace pipesplit::solver
