#include "cost/hops.hpp"

namespace pipesplit::cost {

std::vector<Hop> pipeline_hops(const Problem& problem, const Placement& placement)
{
  const auto& stages = placement.stages;
  const Chain& chain = problem.chain;
  std::vector<Hop> hops;
  hops.push_back({problem.source.value_or(stages.front().device), stages.front().device, -1, chain.input_bytes});
  for (size_t s = 0; s + 1 < stages.size(); ++s)
    hops.push_back({stages[s].device, stages[s + 1].device, stages[s].last, chain.blocks[stages[s].last].cut_bytes});
  hops.push_back({stages.back().device, problem.sink.value_or(stages.back().device), stages.back().last,
                  chain.blocks[stages.back().last].cut_bytes});
  return hops;
}

} // namespace pipesplit::cost
