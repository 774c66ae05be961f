#pragma once
// Which points of a sweep a shard computes (--shard K/N). Points differ in cost by orders of magnitude: a solve
// under lv08 plays the contention schedule out for every candidate (about 1,000 times an analytic solve on the
// shipped sweeps), a sampled point also runs a SimGrid replay in a child process, and the search grows with the
// devices. So shards are balanced by an expected cost per point, not by count: the points, most expensive first
// (ties by index), each go to the shard with the least cost so far (ties to the lowest shard: longest processing
// time first). Deterministic: every process that reads the same sweep computes the same assignment, so N tasks
// on N machines need no coordination, and `sweep merge` joins their folders. With equal costs the shards' counts
// differ by at most one.

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pipesplit::analysis {

// What the expected cost of a point depends on beyond its axis values: the base scenario's network model and
// device count (read from the scenario file by shard_cost_model).
struct ShardCostModel {
  bool lv08      = false; // the base scenario's deployment.network
  size_t devices = 1;     // the base scenario's devices (1 when it names none: every host)
};

// Relative expected costs, in units of one analytic solve on one device (rough, from the shipped sweeps on one core:
// an analytic point 0.2 ms, a SimGrid replay of 100 inferences 50-100 ms, an lv08 point 0.1-3 s).
inline constexpr uint64_t analytic_solve_cost = 1;    // per device
inline constexpr uint64_t lv08_solve_cost     = 1000; // per device
inline constexpr uint64_t simulation_cost     = 400;

ShardCostModel shard_cost_model(const SweepSpec& spec); // reads the base scenario
uint64_t point_cost(const SweepSpec& spec, const ShardCostModel& model, size_t index);
std::vector<uint64_t> point_costs(const SweepSpec& spec, const ShardCostModel& model);

// The shard (0-based) of every point, for `shards` shards; the algorithm above.
std::vector<uint32_t> assign_shards(const std::vector<uint64_t>& costs, int shards);

// One shard's points (ascending) and their total cost.
struct ShardPoints {
  std::vector<size_t> indices;
  uint64_t cost = 0;
};
ShardPoints shard_points(const std::vector<uint64_t>& costs, const std::vector<uint32_t>& shard_of, int shard);

} // namespace pipesplit::analysis
