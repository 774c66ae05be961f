#pragma once
// Which points of a sweep a shard computes (--shard K/N). Points differ in cost by orders of magnitude: a solve
// under lv08 plays the contention schedule out for the candidate plans (up to thousands of times an analytic solve,
// growing fast with the devices), and a sampled point also runs a SimGrid replay in a child process. So shards are
// balanced by an expected cost per point, not by count: the points, most expensive first (ties by index), each go to
// the shard with the least cost so far (ties to the lowest shard: longest processing time first). Deterministic: every
// process that reads the same sweep computes the same assignment, so N tasks on N machines need no coordination, and
// `sweep merge` joins their folders. With equal costs the shards' counts differ by at most one.

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

// Relative expected costs, in units of about 0.1 ms of one core: measured point by point (progress.csv, --jobs 1) on
// bench/lv08_wifi.yaml, YOLOv2 on 1 to 8 boards: an analytic solve 0.2 ms whatever the devices; under lv08 0.2 ms up
// to 4 devices, then 5 ms (5), 10-100 ms (6-8), up to 1 s for a few points (the schedule rates more plans as the
// devices grow); a SimGrid replay of 100 inferences 10-50 ms. An order of magnitude is what balancing needs.
inline constexpr uint64_t analytic_solve_cost = 2;
inline constexpr uint64_t simulation_cost     = 200;
uint64_t solve_cost(bool lv08, size_t devices); // analytic_solve_cost, or 2^devices under lv08 (at most 2^24)

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
