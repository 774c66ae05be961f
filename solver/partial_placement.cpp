#include "solver/partial_placement.hpp"
#include "solver/thread_assignment.hpp"

#include <algorithm>

namespace pipesplit::solver {

PartialPlacement::PartialPlacement(const SearchSpace& space)
    : space_(space), link_load_(space.problem.platform.links.size(), 0), core_seconds_(space.slots, 0),
      min_core_seconds_(space.slots, 0), longest_(space.slots, 0), memory_(space.slots, 0),
      device_load_(space.slots, 0), stage_count_of_(space.slots, 0)
{
  const Deployment& deployment = space.problem.deployment;
  if (deployment.source_rate_hz > 0)
    fixed_floor_ = 1.0 / deployment.source_rate_hz;
  else if (deployment.window > 0)
    window_ = deployment.window;
}

void PartialPlacement::add_transfer(int from_host, int to_host, double bytes)
{
  if (from_host == to_host)
    return;
  const TransferPath& path = space_.path(from_host, to_host);
  const auto& links        = space_.problem.platform.links;
  for (size_t i = 0; i < path.cost.uses.size(); ++i) {
    const LinkUse& use = path.cost.uses[i];
    link_undo_.emplace_back(use.link, link_load_[use.link]);
    double& load     = link_load_[use.link];
    load             = links[use.link].sharing == Sharing::FatPipe ? std::max(load, bytes / path.capacity[i])
                                                                   : load + bytes * use.weight / path.capacity[i];
    transfer_period_ = std::max(transfer_period_, load);
  }
  const double seconds = path.seconds(bytes);
  transfer_period_     = std::max(transfer_period_, seconds);
  latency_ += seconds;
}

// With automatic threads, the device's stages get the thread counts that minimise its load.
double PartialPlacement::device_load(int slot) const
{
  if (!space_.auto_threads || stage_count_of_[slot] == 1)
    return std::max(core_seconds_[slot] / space_.cores(slot), longest_[slot]);
  std::vector<const PlacedStage*> mine;
  for (const auto& stage : stages_)
    if (stage.slot == slot)
      mine.push_back(&stage);
  return best_thread_counts(static_cast<int>(mine.size()), space_.cores(slot),
                            [&](int s, int t) { return space_.stage_seconds(slot, t, mine[s]->first, mine[s]->last); })
      .load;
}

bool PartialPlacement::push(int slot, int last, int threads)
{
  const int first = next_block_;
  if (space_.auto_threads)
    threads = space_.cores(slot);
  const double memory   = memory_[slot] + space_.stage_memory(first, last);
  const double capacity = space_.memory_capacity(slot);
  if (capacity > 0 && memory > capacity)
    return false;
  saved_.push_back(Saved{next_block_, period_, transfer_period_, last_device_load_, latency_, core_seconds_[slot],
                         min_core_seconds_[slot], longest_[slot], memory_[slot], device_load_[slot],
                         link_undo_.size()});
  const Problem& problem = space_.problem;
  const int host         = space_.host(slot);
  if (first == 0) {
    if (problem.source)
      add_transfer(*problem.source, host, problem.chain.input_bytes);
  } else {
    add_transfer(space_.host(stages_.back().slot), host, problem.chain.blocks[first - 1].cut_bytes);
  }
  const double seconds = space_.stage_seconds(slot, threads, first, last);
  stages_.push_back(PlacedStage{slot, first, last, threads});
  ++stage_count_of_[slot];
  core_seconds_[slot] += threads * seconds;
  const int efficient = space_.min_threads(slot);
  min_core_seconds_[slot] += efficient * space_.stage_seconds(slot, efficient, first, last);
  longest_[slot]     = std::max(longest_[slot], seconds);
  memory_[slot]      = memory;
  device_load_[slot] = device_load(slot);
  last_device_load_  = device_load_[slot];
  latency_ += seconds;
  next_block_ = last + 1;
  if (complete() && problem.sink)
    add_transfer(host, *problem.sink, problem.chain.blocks[last].cut_bytes);
  period_ = std::max({period_, transfer_period_, last_device_load_, fixed_floor_});
  if (window_ > 0) // the closed loop's latency / window grows with the latency
    period_ = std::max(period_, latency_ / window_);
  return true;
}

void PartialPlacement::pop()
{
  const Saved saved = saved_.back();
  saved_.pop_back();
  const int slot = stages_.back().slot;
  stages_.pop_back();
  --stage_count_of_[slot];
  while (link_undo_.size() > saved.link_changes) {
    link_load_[link_undo_.back().first] = link_undo_.back().second;
    link_undo_.pop_back();
  }
  next_block_             = saved.next_block;
  period_                 = saved.period;
  transfer_period_        = saved.transfer_period;
  last_device_load_       = saved.last_device_load;
  latency_                = saved.latency;
  core_seconds_[slot]     = saved.core_seconds;
  min_core_seconds_[slot] = saved.min_core_seconds;
  longest_[slot]          = saved.longest;
  memory_[slot]           = saved.memory;
  device_load_[slot]      = saved.device_load;
}

Placement PartialPlacement::placement() const
{
  Placement out;
  for (const auto& stage : stages_)
    out.stages.push_back(Stage{space_.host(stage.slot), stage.first, stage.last, stage.threads});
  return out;
}

} // namespace pipesplit::solver
