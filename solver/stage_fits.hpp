#pragma once
// Can the last few stages of a partial placement still finish the chain with no device load above a period limit?
// A necessary condition the objective search (objective_search.cpp) asks before its costlier bounds, and that lets it
// skip the stages whose children it would prune anyway. A stage of blocks first..last fits a slot when its device's
// load stays within the limit: the core share so far plus the stage's least load (work_measures.hpp), and the stage's
// compute with the most threads (both lower bounds on the cost model's load, whatever the thread counts). Transfers
// and links are left aside: a relaxation.
//
// Whether a stage fits only fails more as it grows: the last block a stage from `first` may end at (reach) and the
// first block from which the rest fits one stage (earliest start) come by bisection, remembered per slot while its
// core share and the limit stay the same (siblings in the search share them).

#include "solver/layer.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"

#include <vector>

namespace pipesplit::solver {

class StageFits {
public:
  explicit StageFits(const SearchSpace& space);

  bool fits(const PartialPlacement& partial, int slot, int first, int last, double limit) const;
  // The last block a stage from `first` on the slot may end at within the limit, or first - 1.
  int reach(const PartialPlacement& partial, int slot, int first, double limit) const;
  // The first block, not before the partial's next one, from which the rest of the chain fits one stage on the
  // slot; blocks when none.
  int earliest_start(const PartialPlacement& partial, int slot, double limit) const;

  // With at most three stages left (more: true), can the rest run as that many stages, consecutive ones on different
  // devices, each device's stages fitting it within the limit? The first on another device than the last stage's,
  // at most `new_allowed` devices not used so far, used ones only with device reuse. For a sequence of devices each
  // taking one stage, ending each stage as late as it fits is best (a later start only lets the next stage reach
  // further); a device taking the first and the third stage shares its slack between them: every end is tried.
  bool completes(const PartialPlacement& partial, double limit, int new_allowed) const;

  // The first block at which a next stage on the slot may end: with no stage left after it, the chain's last; with
  // one or two, where the rest fits those stages on other devices than the one before each (used ones, the slot
  // among them, with device reuse; others unless `closed`).
  int shortest_end(const PartialPlacement& partial, int slot, bool closed, double limit) const;

private:
  int earliest_pair_start(const PartialPlacement& partial, int b, int c, double limit) const;
  bool shares_first_and_third(const PartialPlacement& partial, int a, int b, double limit) const;
  struct Remembered {
    double core_share = -1, limit = -1;
    int earliest = -1;      // over the whole chain; -1: not yet asked
    std::vector<int> reach; // [first]; -2: not yet asked
  };
  Remembered& remembered(const PartialPlacement& partial, int slot, double limit) const;
  int reach(Remembered& remembered, const PartialPlacement& partial, int slot, int first, double limit) const;

  const SearchSpace& space_;
  std::vector<std::vector<double>> least_prefix_; // [slot][b + 1]: least loads of blocks 0..b
  mutable std::vector<Remembered> remembered_;    // per slot
};

} // namespace pipesplit::solver
