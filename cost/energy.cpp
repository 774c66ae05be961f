#include "cost/energy.hpp"
#include "cost/hops.hpp"
#include "cost/network_cost.hpp"

#include <algorithm>
#include <numeric>

namespace pipesplit::cost {

bool declares_power(const Platform& platform)
{
  return std::any_of(platform.hosts.begin(), platform.hosts.end(), [](const auto& h) { return h.has_power(); }) ||
         std::any_of(platform.links.begin(), platform.links.end(), [](const auto& l) { return l.power.has_value(); });
}

std::vector<bool> hosts_on(const Problem& problem, const Placement& placement)
{
  std::vector<bool> on(problem.platform.hosts.size(), false);
  for (const Hop& hop : pipeline_hops(problem, placement))
    on[hop.from] = on[hop.to] = true;
  for (const Stage& stage : placement.stages)
    on[stage.device] = true;
  return on;
}

namespace {

DeviceEnergy device_energy(const Problem& problem, const Placement& placement, const Prediction& prediction,
                           int host_index, bool on)
{
  const HostInfo& host = problem.host(host_index);
  const double period  = prediction.period_s;
  DeviceEnergy out{host_index, host.name, on, host.pstate, 0, 0, 0};
  if (!on) {
    out.energy_J = host.wattage_off_W * period;
  } else if (host.has_power()) {
    double load_s = 0; // integral of the load (busy cores / cores) over one period
    for (size_t s = 0; s < placement.stages.size(); ++s)
      if (placement.stages[s].device == host_index) {
        const double compute = prediction.stages[s].compute_s;
        out.busy_s += compute;
        load_s += std::min(placement.stages[s].threads, host.cores) * compute / host.cores;
      }
    out.busy_s           = std::min(out.busy_s, period);
    const PowerState& pw = host.power.at(host.pstate);
    out.energy_J =
        pw.idle_W * (period - out.busy_s) + pw.epsilon_W * out.busy_s + (pw.all_cores_W - pw.epsilon_W) * load_s;
  }
  out.power_W = period > 0 ? out.energy_J / period : 0;
  return out;
}

// Per link: each transfer's data time (bytes x weight / capacity) and latency time (the route latency at its usage).
struct LinkTimes {
  std::vector<double> data_s, latency_s;
};

std::vector<LinkEnergy> link_energy(const Problem& problem, const Prediction& prediction)
{
  const Platform& platform = problem.platform;
  const NetworkModel model = problem.deployment.network;
  std::vector<LinkTimes> times(platform.links.size());
  for (const auto& transfer : prediction.transfers) {
    const TransferCost cost = transfer_cost(platform, model, transfer.from, transfer.to);
    const double rate       = cost.seconds_per_byte > 0 ? 1 / cost.seconds_per_byte : 0;
    for (const LinkUse& use : cost.uses) {
      const double capacity = link_capacity(platform, model, use.link);
      times[use.link].data_s.push_back(transfer.bytes * use.weight / capacity);
      times[use.link].latency_s.push_back(cost.latency_s * rate * use.weight / capacity);
    }
  }
  std::vector<LinkEnergy> out;
  const double period = prediction.period_s;
  for (size_t l = 0; l < platform.links.size(); ++l) {
    if (!platform.links[l].power)
      continue;
    const auto& t     = times[l];
    const double data = std::accumulate(t.data_s.begin(), t.data_s.end(), 0.0);
    double busy       = data;
    // A transfer's latency counts when it starts on an idle link, and is lost in the others' data otherwise: with
    // independent phases, it starts during the others' data with probability (their data time) / P.
    for (size_t i = 0; i < t.data_s.size(); ++i)
      busy += t.latency_s[i] * std::max(0.0, 1 - (data - t.data_s[i]) / period);
    const LinkPower& pw = *platform.links[l].power;
    LinkEnergy e{static_cast<int>(l), platform.links[l].name, std::min(busy, period), 0, 0};
    e.energy_J = pw.idle_W * period + (pw.busy_W - pw.idle_W) * e.busy_s;
    e.power_W  = period > 0 ? e.energy_J / period : 0;
    out.push_back(e);
  }
  return out;
}

} // namespace

EnergyPrediction predict_energy(const Problem& problem, const Placement& placement, const Prediction& prediction)
{
  EnergyPrediction out;
  out.declared  = declares_power(problem.platform);
  const auto on = hosts_on(problem, placement);
  for (size_t h = 0; h < problem.platform.hosts.size(); ++h) {
    out.devices.push_back(device_energy(problem, placement, prediction, static_cast<int>(h), on[h]));
    out.energy_J += out.devices.back().energy_J;
  }
  out.links = link_energy(problem, prediction);
  for (const auto& link : out.links)
    out.energy_J += link.energy_J;
  out.power_W = prediction.period_s > 0 ? out.energy_J / prediction.period_s : 0;
  return out;
}

} // namespace pipesplit::cost
