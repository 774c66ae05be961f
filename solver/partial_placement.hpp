#pragma once
// A placement being built stage by stage, with its resource loads kept up to date so a search can extend it,
// bound it and undo the extension cheaply. Loads follow the cost model exactly (cost_model.hpp).

#include "solver/layer.hpp"
#include "solver/search_space.hpp"

#include <vector>

namespace pipesplit::solver {

class PartialPlacement {
public:
  explicit PartialPlacement(const SearchSpace& space);

  // Append stage [first = next_block(), last] on `slot` with `threads` (ignored when threads are automatic):
  // adds its compute, memory and the transfer into it (and out to the sink when it ends the chain).
  // Returns false, changing nothing, when the device's memory would overflow.
  bool push(int slot, int last, int threads);
  void pop();

  int next_block() const { return next_block_; }
  int last_slot() const { return stages_.empty() ? -1 : stages_.back().slot; }
  int stage_count() const { return static_cast<int>(stages_.size()); }
  bool complete() const { return next_block_ == space_.blocks; }
  bool used(int slot) const { return stage_count_of_[slot] > 0; }

  double period() const { return period_; }                   // largest load so far
  double transfer_period() const { return transfer_period_; } // largest link or sender load so far
  double last_device_load() const { return last_device_load_; }
  double latency_floor() const { return latency_; } // exact with fixed threads; a lower bound when automatic
  // A lower bound on the device's load so far: its stages' core-seconds per input, each with its most
  // core-efficient allowed thread count, spread over all its cores.
  double core_share(int slot) const { return min_core_seconds_[slot] / space_.cores(slot); }
  double device_load_of(int slot) const { return device_load_[slot]; } // 0 when unused

  Placement placement() const; // thread counts as pushed (automatic ones are chosen by evaluate_placement)

private:
  struct PlacedStage {
    int slot, first, last, threads;
  };
  struct Saved {
    int next_block;
    double period, transfer_period, last_device_load, latency;
    double core_seconds, min_core_seconds, longest, memory, device_load;
    size_t link_changes;
  };

  double device_load(int slot) const;
  void add_transfer(int from_host, int to_host, double bytes);

  const SearchSpace& space_;
  std::vector<PlacedStage> stages_;
  std::vector<Saved> saved_;
  std::vector<std::pair<int, double>> link_undo_; // (link, previous load)
  std::vector<double> link_load_;
  std::vector<double> core_seconds_, min_core_seconds_, longest_, memory_, device_load_;
  std::vector<int> stage_count_of_;
  int next_block_          = 0;
  double period_           = 0;
  double transfer_period_  = 0;
  double last_device_load_ = 0;
  double latency_          = 0;
  double fixed_floor_      = 0; // one input per 1 / rate at a camera rate
  int window_              = 0; // explicit closed-loop window, 0 if none
};

} // namespace pipesplit::solver
