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

static Chain vit_large_chain(std::mt19937_64& rng)
{
  constexpr double batch_bytes = 8 * 4; // micro-batch x float32
  const double slow_s[]        = {0.56, 0.142, 0.605, 0.535};
  const double fast_s[]        = {0.455, 0.115, 0.49, 0.44};
  const double weights_MB[]    = {30.2, 21.0, 34.2, 33.3};
  const double cut_elements[]  = {403456, 403456, 1008640, 403456}; // hidden state and residual; MLP width 4096
  std::uniform_real_distribution<double> jitter(0.97, 1.03);
  Chain chain;
  chain.model_name  = "vit-large";
  chain.input_bytes = 150528 * batch_bytes;
  for (int i = 0; i < 96; ++i) {
    Block block;
    block.name        = fmt::format("l{}.{}", i / 4, i % 4);
    block.first_layer = block.last_layer = i;
    block.flop                           = 1e9;
    block.flop_by_op["matmul"]           = block.flop;
    block.param_bytes                    = weights_MB[i % 4] * 1e6 * jitter(rng);
    block.cut_bytes                      = (i == 95 ? 1000 : cut_elements[i % 4]) * batch_bytes;
    const double first                   = i == 0 ? 1.3 : 1; // the embeddings
    block.measured_s["slow"][1]          = first * slow_s[i % 4] * jitter(rng);
    block.measured_s["fast"][1]          = first * fast_s[i % 4] * jitter(rng);
    chain.blocks.push_back(block);
  }
  return chain;
}

Problem vit_large_two_types(int hosts, uint64_t seed)
{
  std::mt19937_64 rng(seed);
  const double link_Bps = 1000.0 * 1024 * 1024 / 8;
  std::vector<DeviceType> boards(hosts, DeviceType{1, 1e9, link_Bps});
  Platform platform = star(boards, 0);
  for (int i = 0; i < hosts; ++i) {
    HostInfo& host    = platform.hosts[i];
    const bool slow   = i < hosts / 2;
    host.profile      = slow ? "slow" : "fast";
    host.memory_bytes = (slow ? 2048.0 : 8192.0) * 1024 * 1024;
  }
  Problem problem                = make_problem(std::move(platform), vit_large_chain(rng), false, -1);
  problem.deployment.queue_depth = 3; // PipeEdge's stages hold 3 inputs and 3 outputs (2 buffers each, plus one)
  return problem;
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
