#include "solver/search_space.hpp"
#include "solver/symmetry.hpp"
#include "solver/thread_assignment.hpp"

#include <map>

namespace pipesplit::solver {

SearchSpace::SearchSpace(const Problem& p) : problem(p)
{
  const Chain& chain = p.chain;
  blocks             = chain.size();
  slots              = static_cast<int>(p.devices.size());
  max_stages         = p.deployment.max_cuts >= 0 ? std::min(blocks, p.deployment.max_cuts + 1) : blocks;
  if (!p.deployment.device_reuse)
    max_stages = std::min(max_stages, slots);
  auto_threads = p.deployment.threads_auto;

  weights_prefix_.assign(blocks + 1, 0);
  flop_prefix_.assign(blocks + 1, 0);
  for (int b = 0; b < blocks; ++b) {
    weights_prefix_[b + 1] = weights_prefix_[b] + chain.blocks[b].param_bytes;
    flop_prefix_[b + 1]    = flop_prefix_[b] + chain.blocks[b].flop;
  }
  fixed_threads_.resize(slots);
  seconds_prefix_.resize(slots);
  for (int s = 0; s < slots; ++s) {
    const HostInfo& host = p.host(p.devices[s]);
    fixed_threads_[s]    = auto_threads ? host.cores : p.default_threads(p.devices[s]);
    seconds_prefix_[s].resize(host.cores + 1);
    for (int t = min_threads(s); t <= max_threads(s); ++t) {
      auto& prefix = seconds_prefix_[s][t];
      prefix.assign(blocks + 1, 0);
      for (int b = 0; b < blocks; ++b)
        prefix[b + 1] = prefix[b] + p.compute.block_seconds(chain.blocks[b], host, t);
    }
  }

  const auto& platform = p.platform;
  const size_t hosts   = platform.hosts.size();
  paths_.assign(hosts, std::vector<TransferPath>(hosts));
  for (size_t a = 0; a < hosts; ++a)
    for (size_t b = 0; b < hosts; ++b)
      if (a != b && platform.routes[a][b]) {
        TransferPath& path = paths_[a][b];
        path.cost          = transfer_cost(platform, p.deployment.network, static_cast<int>(a), static_cast<int>(b));
        for (const LinkUse& use : path.cost.uses)
          path.capacity.push_back(link_capacity(platform, p.deployment.network, use.link));
      }

  class_of_    = device_symmetry_classes(p);
  class_count_ = 0;
  for (int c : class_of_)
    class_count_ = std::max(class_count_, c + 1);
}

double SearchSpace::stage_memory(int first, int last) const
{
  const Chain& chain = problem.chain;
  return weights(first, last) +
         problem.deployment.queue_depth * (chain.input_bytes_of(first) + chain.blocks[last].cut_bytes);
}

Prediction evaluate_placement(const Problem& problem, Placement& placement)
{
  if (problem.deployment.threads_auto) {
    std::map<int, std::vector<size_t>> stages_of;
    for (size_t i = 0; i < placement.stages.size(); ++i)
      stages_of[placement.stages[i].device].push_back(i);
    for (const auto& [device, stage_indices] : stages_of) {
      const HostInfo& host = problem.host(device);
      const auto& indices  = stage_indices; // clang 14 cannot capture a structured binding
      const auto choice    = best_thread_counts(static_cast<int>(indices.size()), host.cores, [&](int s, int t) {
        const Stage& stage = placement.stages[indices[s]];
        double seconds     = 0;
        for (int b = stage.first; b <= stage.last; ++b)
          seconds += problem.compute.block_seconds(problem.chain.blocks[b], host, t);
        return seconds;
      });
      for (size_t s = 0; s < indices.size(); ++s)
        placement.stages[indices[s]].threads = choice.threads[s];
    }
  }
  return predict(problem, placement);
}

} // namespace pipesplit::solver
