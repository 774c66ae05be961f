#include "bench/bench_instances.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pipesplit::bench {

using solver::Block;
using solver::HostInfo;
using solver::LinkInfo;
using solver::Route;
using solver::Sharing;

double log_uniform(std::mt19937_64& rng, double low, double high)
{
  return std::exp(std::uniform_real_distribution<double>(std::log(low), std::log(high))(rng));
}

Platform star(const std::vector<DeviceType>& devices, double latency_s)
{
  Platform p;
  p.file = "bench";
  for (size_t i = 0; i < devices.size(); ++i) {
    p.hosts.push_back(HostInfo{fmt::format("d{}", i), devices[i].cores, devices[i].core_speed, 0, "", {}, {}});
    p.links.push_back(LinkInfo{fmt::format("d{}_UP", i), devices[i].link_Bps, latency_s, Sharing::Shared});
    p.links.push_back(LinkInfo{fmt::format("d{}_DOWN", i), devices[i].link_Bps, latency_s, Sharing::Shared});
  }
  const size_t n = devices.size();
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b)
      if (a != b)
        p.routes[a][b] = Route{{static_cast<int>(2 * a), static_cast<int>(2 * b + 1)}, 0, 0};
  p.finalize();
  return p;
}

std::vector<DeviceType> random_boards(int count, double link_Bps, std::mt19937_64& rng)
{
  std::vector<DeviceType> out;
  for (int i = 0; i < count; ++i)
    out.push_back(DeviceType{4, log_uniform(rng, 2e9, 10e9), link_Bps});
  return out;
}

std::vector<DeviceType> heterogeneous(int count, double link_Bps, uint64_t seed)
{
  const DeviceType kinds[] = {{4, 5e9, 0}, {1, 60e9, 0}, {4, 20e9, 0}, {6, 8e9, 0}, {2, 12e9, 0}};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(0.7, 1.3);
  std::vector<DeviceType> out;
  for (int i = 0; i < count; ++i) {
    DeviceType d = kinds[i % 5];
    d.core_speed *= jitter(rng);
    d.link_Bps = link_Bps * jitter(rng);
    out.push_back(d);
  }
  return out;
}

std::vector<DeviceType> two_types(int count, double link_Bps)
{
  std::vector<DeviceType> out;
  for (int i = 0; i < count; ++i)
    out.push_back(i < count / 2 ? DeviceType{4, 5e9, link_Bps} : DeviceType{1, 60e9, link_Bps});
  return out;
}

Platform every_pair_linked(int count, std::mt19937_64& rng)
{
  Platform p;
  p.file = "bench";
  for (int i = 0; i < count; ++i)
    p.hosts.push_back(HostInfo{fmt::format("d{}", i),
                               std::uniform_int_distribution<int>(1, 6)(rng),
                               log_uniform(rng, 2e9, 60e9),
                               0,
                               "",
                               {},
                               {}});
  p.routes.assign(count, std::vector<std::optional<Route>>(count));
  for (int a = 0; a < count; ++a)
    for (int b = 0; b < count; ++b)
      if (a != b) {
        p.links.push_back(
            LinkInfo{fmt::format("l{}_{}", a, b), log_uniform(rng, 12.5e6, 125e6), 50e-6, Sharing::Shared});
        p.routes[a][b] = Route{{static_cast<int>(p.links.size()) - 1}, 0, 0};
      }
  p.finalize();
  return p;
}

Chain random_chain(int blocks, std::mt19937_64& rng)
{
  Chain chain;
  chain.model_name  = "random";
  chain.input_bytes = 602112;
  for (int i = 0; i < blocks; ++i) {
    Block block;
    block.name        = fmt::format("b{}", i);
    block.first_layer = block.last_layer = i;
    block.flop                           = log_uniform(rng, 1e8, 2e9);
    block.flop_by_op["conv"]             = block.flop;
    block.param_bytes                    = log_uniform(rng, 1e6, 20e6);
    block.cut_bytes                      = log_uniform(rng, 2e4, 2e6);
    chain.blocks.push_back(block);
  }
  return chain;
}

Chain transformer_chain(int layers)
{
  Chain chain;
  chain.model_name  = "transformer";
  chain.input_bytes = 3 * 224 * 224 * 4;
  for (int i = 0; i < layers; ++i) {
    Block block;
    block.name        = fmt::format("{}{}", i % 2 ? "mlp" : "attn", i / 2);
    block.first_layer = block.last_layer             = i;
    block.flop                                       = i % 2 ? 1.86e9 : 1.03e9;
    block.flop_by_op[i % 2 ? "matmul" : "attention"] = block.flop;
    block.param_bytes                                = i % 2 ? 18.9e6 : 9.4e6;
    block.cut_bytes                                  = 197 * 768 * 4;
    chain.blocks.push_back(block);
  }
  return chain;
}

Problem make_problem(Platform platform, Chain chain, bool reuse, int max_cuts)
{
  Problem problem;
  problem.platform = std::move(platform);
  problem.chain    = std::move(chain);
  for (size_t i = 0; i < problem.platform.hosts.size(); ++i)
    problem.devices.push_back(static_cast<int>(i));
  problem.deployment.device_reuse = reuse;
  problem.deployment.max_cuts     = max_cuts;
  return problem;
}

} // namespace pipesplit::bench
