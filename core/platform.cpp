#include "core/platform.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace pipesplit::core {

std::optional<int> Platform::find_host(const std::string& name) const
{
  for (size_t i = 0; i < hosts.size(); ++i)
    if (hosts[i].name == name)
      return static_cast<int>(i);
  return std::nullopt;
}

int Platform::host_index(const std::string& name, const std::string& context) const
{
  if (auto index = find_host(name))
    return *index;
  std::string known;
  for (const auto& host : hosts)
    known += (known.empty() ? "" : ", ") + host.name;
  throw InputError(context, "", fmt::format("unknown host '{}' (platform {} has: {})", name, file, known));
}

const Route& Platform::route(int src, int dst) const
{
  const auto& route = routes.at(src).at(dst);
  if (!route)
    throw InputError(file, "", fmt::format("no route from {} to {}", hosts[src].name, hosts[dst].name));
  return *route;
}

static bool positive_finite(double value)
{
  return value > 0 && std::isfinite(value);
}

void Platform::finalize()
{
  if (hosts.empty())
    throw InputError(file, "", "the platform has no host");
  for (const auto& host : hosts) {
    if (!positive_finite(host.core_speed_flops))
      throw InputError(file, "host " + host.name + " speed",
                       fmt::format("must be > 0 FLOP/s, got {}", host.core_speed_flops));
    if (host.cores < 1)
      throw InputError(file, "host " + host.name + " core", fmt::format("must be >= 1, got {}", host.cores));
    if (host.memory_bytes < 0 || !std::isfinite(host.memory_bytes))
      throw InputError(file, "host " + host.name + " memory", "must be >= 0 bytes");
    for (const auto& [op, efficiency] : host.op_efficiency)
      if (!(efficiency > 0) || !std::isfinite(efficiency))
        throw InputError(file, "host " + host.name + " op_efficiency." + op,
                         fmt::format("must be > 0, got {}", efficiency));
    for (const auto& [op, fraction] : host.parallel_fraction)
      if (!(fraction >= 0 && fraction <= 1))
        throw InputError(file, "host " + host.name + " parallel_fraction." + op,
                         fmt::format("must be within [0, 1], got {}", fraction));
  }
  for (const auto& link : links) {
    if (!positive_finite(link.bandwidth_Bps))
      throw InputError(file, "link " + link.name + " bandwidth",
                       fmt::format("must be > 0 bytes/s, got {}", link.bandwidth_Bps));
    if (link.latency_s < 0 || !std::isfinite(link.latency_s))
      throw InputError(file, "link " + link.name + " latency", fmt::format("must be >= 0 s, got {}", link.latency_s));
  }
  routes.resize(hosts.size());
  for (size_t src = 0; src < hosts.size(); ++src) {
    routes[src].resize(hosts.size());
    for (size_t dst = 0; dst < hosts.size(); ++dst) {
      if (src == dst)
        continue;
      auto& route = routes[src][dst];
      if (route && route->links.empty())
        route.reset(); // SimGrid answers an empty route for hosts it cannot connect
      if (!route)
        continue; // only an error if the scenario needs this pair: make_problem checks
      std::map<int, int> crossings;
      route->latency_s = 0;
      for (int link : route->links) {
        route->latency_s += links.at(link).latency_s;
        ++crossings[link];
      }
      route->bandwidth_Bps = std::numeric_limits<double>::infinity();
      for (auto [link, count] : crossings) {
        double share         = links[link].sharing == Sharing::FatPipe ? 1.0 : static_cast<double>(count);
        route->bandwidth_Bps = std::min(route->bandwidth_Bps, links[link].bandwidth_Bps / share);
      }
    }
  }
}

} // namespace pipesplit::core
