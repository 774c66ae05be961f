#include "cost/cost_model.hpp"
#include "cost/hops.hpp"
#include "cost/network_cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace pipesplit::cost {

std::string to_string(ResourceKind kind)
{
  switch (kind) {
  case ResourceKind::Device:
    return "device";
  case ResourceKind::Link:
    return "link";
  case ResourceKind::Transfer:
    return "transfer";
  case ResourceKind::Source:
    return "source";
  case ResourceKind::Window:
    return "window";
  case ResourceKind::Schedule:
    return "schedule";
  }
  return "?";
}

double transfer_seconds(const Route& route, double bytes)
{
  return route.latency_s + bytes / route.bandwidth_Bps;
}

namespace {

// Transfers the placement implies, in pipeline order: source -> first stage, between stages, last stage -> sink.
std::vector<TransferPrediction> transfers_of(const Problem& problem, const Placement& placement)
{
  std::vector<TransferPrediction> transfers;
  for (const Hop& hop : pipeline_hops(problem, placement))
    if (hop.remote()) {
      const TransferCost cost = transfer_cost(problem.platform, problem.deployment.network, hop.from, hop.to);
      transfers.push_back({hop.from, hop.to, hop.after_block, hop.bytes, cost.seconds(hop.bytes)});
    }
  return transfers;
}

std::vector<ResourceLoad> link_loads(const Problem& problem, const std::vector<TransferPrediction>& transfers)
{
  const Platform& platform   = problem.platform;
  const NetworkModel network = problem.deployment.network;
  std::map<int, double> load;
  for (const auto& transfer : transfers)
    for (const LinkUse& use : transfer_cost(platform, network, transfer.from, transfer.to).uses) {
      const double capacity = link_capacity(platform, network, use.link);
      if (platform.links[use.link].sharing == Sharing::FatPipe)
        load[use.link] = std::max(load[use.link], transfer.bytes / capacity);
      else
        load[use.link] += transfer.bytes * use.weight / capacity;
    }
  std::vector<ResourceLoad> out;
  for (const auto& [link, seconds] : load)
    out.push_back({ResourceKind::Link, platform.links[link].name, seconds});
  return out;
}

std::string transfer_name(const Problem& problem, const TransferPrediction& t)
{
  const auto& hosts = problem.platform.hosts;
  if (t.after_block < 0)
    return fmt::format("{}->{} (input)", hosts[t.from].name, hosts[t.to].name);
  if (t.after_block == problem.chain.size() - 1)
    return fmt::format("{}->{} (output)", hosts[t.from].name, hosts[t.to].name);
  return fmt::format("{}->{} (after block {})", hosts[t.from].name, hosts[t.to].name, t.after_block);
}

} // namespace

Prediction predict(const Problem& problem, const Placement& placement)
{
  const Chain& chain = problem.chain;
  Prediction out;

  std::map<int, std::pair<double, double>> device_use; // device -> (core-seconds, longest stage)
  std::map<int, double> memory;
  for (const auto& stage : placement.stages) {
    const HostInfo& host = problem.host(stage.device);
    StagePrediction sp{stage, 0, 0, true};
    double weights = 0;
    for (int b = stage.first; b <= stage.last; ++b) {
      sp.compute_s += problem.compute.block_seconds(chain.blocks[b], host, stage.threads);
      sp.measured = sp.measured && problem.compute.is_measured(chain.blocks[b], host);
      weights += chain.blocks[b].param_bytes;
    }
    const double buffers          = chain.input_bytes_of(stage.first) + chain.blocks[stage.last].cut_bytes;
    sp.memory_bytes               = weights + problem.deployment.queue_depth * buffers;
    auto& [core_seconds, longest] = device_use[stage.device];
    core_seconds += stage.threads * sp.compute_s;
    longest = std::max(longest, sp.compute_s);
    memory[stage.device] += sp.memory_bytes;
    out.stages.push_back(sp);
  }

  for (const auto& [device, use] : device_use) {
    const HostInfo& host = problem.host(device);
    out.loads.push_back({ResourceKind::Device, host.name, std::max(use.first / host.cores, use.second)});
    out.memory.push_back({device, memory[device], host.memory_bytes});
    if (host.memory_bytes > 0 && memory[device] > host.memory_bytes)
      out.violations.push_back(
          fmt::format("{} needs {:.0f} bytes of memory, has {:.0f}", host.name, memory[device], host.memory_bytes));
  }
  out.transfers = transfers_of(problem, placement);
  for (const auto& link : link_loads(problem, out.transfers))
    out.loads.push_back(link);
  for (const auto& transfer : out.transfers)
    out.loads.push_back({ResourceKind::Transfer, transfer_name(problem, transfer), transfer.time_s});

  for (const auto& stage : out.stages)
    out.latency_s += stage.compute_s;
  for (const auto& transfer : out.transfers)
    out.latency_s += transfer.time_s;
  const Deployment& deployment = problem.deployment;
  const int window             = problem.closed_loop_window(static_cast<int>(placement.stages.size()));
  if (deployment.source_rate_hz > 0)
    out.loads.push_back({ResourceKind::Source, fmt::format("{:g} inputs/s", deployment.source_rate_hz),
                         1.0 / deployment.source_rate_hz});
  else if (deployment.window > 0)
    out.loads.push_back({ResourceKind::Window, fmt::format("{} inputs in flight", window), out.latency_s / window});

  // Strictly greater: on ties the first resource listed (devices, then links) is named the bottleneck.
  out.bottleneck = out.loads.front();
  for (const auto& load : out.loads)
    if (load.load_s > out.bottleneck.load_s)
      out.bottleneck = load;
  out.period_s       = out.bottleneck.load_s;
  out.throughput_ips = out.period_s > 0 ? 1.0 / out.period_s : 0;
  // When the source or the window sets the pace, inputs never queue: each takes the idle-pipeline latency. When a
  // device or link does, inputs wait in the queues before it, as long as the buffers let them: not predicted.
  const bool paced_by_source =
      out.bottleneck.kind == ResourceKind::Source || out.bottleneck.kind == ResourceKind::Window;
  out.steady_latency_s = paced_by_source ? out.latency_s : std::numeric_limits<double>::quiet_NaN();
  return out;
}

} // namespace pipesplit::cost
