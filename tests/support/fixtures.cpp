#include "tests/support/fixtures.hpp"

#include <fmt/format.h>

namespace pipesplit::test {

HostInfo host(const std::string& name, int cores, double core_speed_flops)
{
  return HostInfo{.name = name, .cores = cores, .core_speed_flops = core_speed_flops};
}

Platform two_hosts(const std::string& a, const std::string& b, const LinkInfo& link, int crossings)
{
  Platform p;
  p.file  = link.name;
  p.hosts = {host(a, 1, 1e9), host(b, 1, 1e9)};
  p.links = {link};
  p.routes.assign(2, std::vector<std::optional<Route>>(2));
  p.routes[0][1] = Route{.links = std::vector<int>(static_cast<size_t>(crossings), 0)};
  p.routes[1][0] = p.routes[0][1];
  p.finalize();
  return p;
}

Platform pairwise_platform(const std::vector<double>& speeds, const std::vector<int>& cores, double bandwidth,
                           double latency)
{
  Platform p;
  p.file         = "pairwise";
  const size_t n = speeds.size();
  for (size_t i = 0; i < n; ++i)
    p.hosts.push_back(host(fmt::format("h{}", i), cores[i], speeds[i]));
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b)
      if (a != b) {
        p.routes[a][b] = Route{.links = {static_cast<int>(p.links.size())}};
        p.links.push_back(LinkInfo{fmt::format("h{}->h{}", a, b), bandwidth, latency, Sharing::Shared});
      }
  p.finalize();
  return p;
}

Platform star_platform(const std::vector<double>& speeds, int cores, double bandwidth, double latency)
{
  Platform p;
  p.file         = "star";
  const size_t n = speeds.size();
  for (size_t i = 0; i < n; ++i) {
    p.hosts.push_back(host(fmt::format("h{}", i), cores, speeds[i]));
    p.links.push_back(LinkInfo{fmt::format("h{}_UP", i), bandwidth, latency, Sharing::Shared});
    p.links.push_back(LinkInfo{fmt::format("h{}_DOWN", i), bandwidth, latency, Sharing::Shared});
  }
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b)
      if (a != b)
        p.routes[a][b] = Route{.links = {static_cast<int>(2 * a), static_cast<int>(2 * b + 1)}};
  p.finalize();
  return p;
}

Chain hand_chain(const std::vector<double>& flop, const std::vector<double>& cut_bytes, double input_bytes,
                 const std::string& op)
{
  Chain chain;
  chain.model_name  = "hand";
  chain.input_bytes = input_bytes;
  for (size_t i = 0; i < flop.size(); ++i) {
    Block block;
    block.name        = fmt::format("b{}", i);
    block.first_layer = block.last_layer = static_cast<int>(i);
    block.flop                           = flop[i];
    block.flop_by_op[op]                 = flop[i];
    block.cut_bytes                      = cut_bytes[i];
    chain.blocks.push_back(block);
  }
  return chain;
}

Problem paper_problem(Platform platform, Chain chain, bool reuse)
{
  Problem problem;
  problem.platform = std::move(platform);
  problem.chain    = std::move(chain);
  for (size_t i = 0; i < problem.platform.hosts.size(); ++i)
    problem.devices.push_back(static_cast<int>(i));
  problem.deployment.device_reuse = reuse;
  for (auto& [op, fraction] : problem.compute.parallel_fraction)
    fraction = 1.0;
  problem.compute.unknown_op_fraction = 1.0;
  return problem;
}

} // namespace pipesplit::test
