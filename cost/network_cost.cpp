#include "cost/network_cost.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace pipesplit::cost {

NetworkFactors NetworkFactors::of(NetworkModel model)
{
  if (model == NetworkModel::Lv08)
    return NetworkFactors{13.01, 0.97, 0.05, 4194304, 20537};
  return NetworkFactors{};
}

double link_capacity(const Platform& platform, NetworkModel model, int link)
{
  return NetworkFactors::of(model).bandwidth_factor * platform.links[link].bandwidth_Bps;
}

TransferCost transfer_cost(const Platform& platform, NetworkModel model, int from, int to)
{
  const NetworkFactors factors = NetworkFactors::of(model);
  const Route& route           = platform.route(from, to);
  std::map<int, double> weight;
  for (int link : route.links)
    weight[link] += 1;
  if (factors.cross_traffic > 0 && platform.routes[to][from])
    for (int link : platform.routes[to][from]->links)
      weight[link] += factors.cross_traffic;
  TransferCost cost;
  cost.latency_s   = factors.latency_factor * route.latency_s;
  cost.rate_factor = factors.bandwidth_factor;
  // Before the bandwidth factor: the solver's rate, which the factor then scales.
  double rate         = std::numeric_limits<double>::infinity();
  cost.rate_bound_Bps = std::numeric_limits<double>::infinity();
  for (const auto& [link, w] : weight) {
    cost.uses.push_back(LinkUse{link, w});
    const bool fatpipe = platform.links[link].sharing == Sharing::FatPipe;
    rate               = std::min(rate, platform.links[link].bandwidth_Bps / (fatpipe ? 1.0 : w));
  }
  for (int link : route.links) // the slowest link on the way, not on the acknowledgements' way back
    cost.rate_bound_Bps = std::min(cost.rate_bound_Bps, platform.links[link].bandwidth_Bps);
  if (factors.tcp_gamma > 0 && route.latency_s > 0)
    cost.rate_bound_Bps = std::min(cost.rate_bound_Bps, factors.tcp_gamma / (2 * route.latency_s));
  rate                  = std::min(rate, cost.rate_bound_Bps);
  cost.seconds_per_byte = 1.0 / (factors.bandwidth_factor * rate);
  // SimGrid starts a flow with a zero penalty while it pays its latency and only sets the penalty afterwards: a flow
  // without latency keeps the solver's default of 1.
  cost.penalty = route.latency_s;
  for (int link : route.links)
    cost.penalty += factors.weight_s / platform.links[link].bandwidth_Bps;
  if (cost.latency_s <= 0)
    cost.penalty = 1;
  return cost;
}

} // namespace pipesplit::cost
