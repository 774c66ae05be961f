#pragma once
// What every solver needs about a problem, precomputed once: stage compute times by prefix sums, stage memory,
// transfer paths between hosts, the devices' symmetry classes and the limits on stages.

#include "cost/cost_model.hpp"
#include "cost/network_cost.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "solver/layer.hpp"

#include <vector>

namespace pipesplit::solver {

// A route as the solvers use it, under the problem's network model: the sender's time for `bytes` is
// cost.seconds(bytes); each use adds bytes x weight / capacity to that link's load (FATPIPE: bytes / capacity, alone).
struct TransferPath {
  TransferCost cost;
  std::vector<double> capacity; // per use, bytes/s
  double seconds(double bytes) const { return cost.seconds(bytes); }
};

class SearchSpace {
public:
  explicit SearchSpace(const Problem& problem);

  const Problem& problem;
  int blocks        = 0; // chain length
  int slots         = 0; // allowed devices; a slot is an index into problem.devices
  int max_stages    = 0;
  bool auto_threads = false;

  int host(int slot) const { return problem.devices[slot]; }
  int cores(int slot) const { return problem.host(host(slot)).cores; }
  // The thread count of a stage alone on the slot's device (the deployment's, or every core when auto).
  int default_threads(int slot) const { return fixed_threads_[slot]; }
  double stage_seconds(int slot, int threads, int first, int last) const
  {
    const auto& prefix = seconds_prefix_[slot][threads];
    return prefix[last + 1] - prefix[first];
  }
  // Prefix sums of block seconds: stage_seconds(slot, t, a, b) = prefix[b + 1] - prefix[a].
  const std::vector<double>& seconds_prefix(int slot, int threads) const { return seconds_prefix_[slot][threads]; }
  double weights(int first, int last) const { return weights_prefix_[last + 1] - weights_prefix_[first]; }
  double stage_memory(int first, int last) const;
  double memory_capacity(int slot) const { return problem.host(host(slot)).memory_bytes; } // 0: unlimited
  const TransferPath& path(int from_host, int to_host) const { return paths_[from_host][to_host]; }
  double flop(int first, int last) const { return flop_prefix_[last + 1] - flop_prefix_[first]; }

  // Slots in the same class are interchangeable (same device, same network position): solvers use the members
  // of a class in index order only.
  int symmetry_class(int slot) const { return class_of_[slot]; }
  int class_count() const { return class_count_; }

  // Thread counts a stage on the slot may use.
  int min_threads(int slot) const { return auto_threads ? 1 : fixed_threads_[slot]; }
  int max_threads(int slot) const { return auto_threads ? cores(slot) : fixed_threads_[slot]; }

private:
  std::vector<int> fixed_threads_;
  std::vector<std::vector<std::vector<double>>> seconds_prefix_; // [slot][threads][block + 1]
  std::vector<double> weights_prefix_;
  std::vector<double> flop_prefix_;
  std::vector<std::vector<TransferPath>> paths_; // [from host][to host]
  std::vector<int> class_of_;
  int class_count_ = 0;
};

// Thread counts for a placement's stages when the deployment lets solvers choose (threads: auto): per device,
// the counts that minimise its load. Then the cost model's prediction.
Prediction evaluate_placement(const Problem& problem, Placement& placement);

} // namespace pipesplit::solver
