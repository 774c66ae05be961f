#include "network_cost.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace pipesplit {

NetworkFactors NetworkFactors::of(NetworkModel model)
{
  if (model == NetworkModel::Lv08)
    return NetworkFactors{13.01, 0.97, 0.05, 4194304};
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
  cost.latency_s = factors.latency_factor * route.latency_s;
  double rate    = std::numeric_limits<double>::infinity();
  for (const auto& [link, w] : weight) {
    cost.uses.push_back(LinkUse{link, w});
    const bool fatpipe = platform.links[link].sharing == Sharing::FatPipe;
    rate               = std::min(rate, link_capacity(platform, model, link) / (fatpipe ? 1.0 : w));
  }
  if (factors.tcp_gamma > 0 && route.latency_s > 0)
    rate = std::min(rate, factors.tcp_gamma / (2 * route.latency_s));
  cost.seconds_per_byte = 1.0 / rate;
  return cost;
}

} // namespace pipesplit
