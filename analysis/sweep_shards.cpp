#include "analysis/sweep_shards.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <numeric>
#include <queue>
#include <utility>

namespace pipesplit::analysis {

ShardCostModel shard_cost_model(const SweepSpec& spec)
{
  const Scenario scenario = read_scenario(spec.scenario);
  return {scenario.deployment.network == NetworkModel::Lv08, std::max<size_t>(1, scenario.devices.size())};
}

uint64_t solve_cost(bool lv08, size_t devices)
{
  return lv08 ? uint64_t{1} << std::min<size_t>(devices, 24) : analytic_solve_cost;
}

uint64_t point_cost(const SweepSpec& spec, const ShardCostModel& model, size_t index)
{
  bool lv08         = model.lv08;
  size_t devices    = model.devices;
  const auto values = spec.point(index);
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    if (axis.kind == AxisKind::DeviceCount)
      devices = static_cast<size_t>(std::max(1.0, std::get<double>(values[a])));
    if (axis.path == "deployment.network_model")
      lv08 = to_string(values[a]) == "lv08";
  }
  return solve_cost(lv08, devices) + (spec.simulated(index) ? simulation_cost : 0);
}

std::vector<uint64_t> point_costs(const SweepSpec& spec, const ShardCostModel& model)
{
  std::vector<uint64_t> costs(spec.point_count());
  for (size_t index = 0; index < costs.size(); ++index)
    costs[index] = point_cost(spec, model, index);
  return costs;
}

std::vector<uint32_t> assign_shards(const std::vector<uint64_t>& costs, int shards)
{
  std::vector<uint32_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return costs[a] > costs[b]; });
  // The least loaded shard on top; equal loads: the lowest shard.
  using Load = std::pair<uint64_t, uint32_t>;
  std::priority_queue<Load, std::vector<Load>, std::greater<Load>> loads;
  for (uint32_t shard = 0; shard < static_cast<uint32_t>(std::max(1, shards)); ++shard)
    loads.emplace(0, shard);
  std::vector<uint32_t> shard_of(costs.size());
  for (const uint32_t index : order) {
    auto [load, shard] = loads.top();
    loads.pop();
    shard_of[index] = shard;
    loads.emplace(load + costs[index], shard);
  }
  return shard_of;
}

ShardPoints shard_points(const std::vector<uint64_t>& costs, const std::vector<uint32_t>& shard_of, int shard)
{
  ShardPoints points;
  for (size_t index = 0; index < shard_of.size(); ++index)
    if (shard_of[index] == static_cast<uint32_t>(shard)) {
      points.indices.push_back(index);
      points.cost += costs[index];
    }
  return points;
}

} // namespace pipesplit::analysis
