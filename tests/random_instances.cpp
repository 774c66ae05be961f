#include "random_instances.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pipesplit::test {

namespace {

double log_uniform(std::mt19937_64& rng, double low, double high)
{
  std::uniform_real_distribution<double> u(std::log(low), std::log(high));
  return std::exp(u(rng));
}

int uniform_int(std::mt19937_64& rng, int low, int high)
{
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Network shapes between all hosts.
void connect(std::mt19937_64& rng, Platform& p)
{
  const int n     = static_cast<int>(p.hosts.size());
  const int shape = uniform_int(rng, 0, 3);
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  auto link = [&](const std::string& name, Sharing sharing) {
    p.links.push_back(LinkInfo{name, log_uniform(rng, 1e6, 1e10),
                               uniform_int(rng, 0, 1) ? log_uniform(rng, 1e-5, 1e-2) : 0, sharing});
    return static_cast<int>(p.links.size()) - 1;
  };
  if (shape == 0) { // a dedicated link per ordered pair
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{{link(fmt::format("{}->{}", a, b), Sharing::Shared)}, 0, 0};
  } else if (shape == 1) { // a star of full-duplex cables, possibly identical
    const bool identical = uniform_int(rng, 0, 1);
    std::vector<int> up, down;
    for (int h = 0; h < n; ++h) {
      up.push_back(link(fmt::format("h{}_UP", h), Sharing::Shared));
      down.push_back(link(fmt::format("h{}_DOWN", h), Sharing::Shared));
      if (identical && h > 0) {
        p.links[up[h]].bandwidth_Bps = p.links[down[h]].bandwidth_Bps = p.links[up[0]].bandwidth_Bps;
        p.links[up[h]].latency_s = p.links[down[h]].latency_s = p.links[up[0]].latency_s;
      }
    }
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{{up[a], down[b]}, 0, 0};
  } else if (shape == 2) { // one shared medium, crossed twice (a WiFi cell)
    const int air = link("air", Sharing::Shared);
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{{air, air}, 0, 0};
  } else { // per-host SHARED access links through a FATPIPE backbone
    const int backbone = link("backbone", Sharing::FatPipe);
    std::vector<int> access;
    for (int h = 0; h < n; ++h)
      access.push_back(link(fmt::format("h{}", h), Sharing::Shared));
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{{access[a], backbone, access[b]}, 0, 0};
  }
  p.finalize();
}

} // namespace

Problem random_problem(std::mt19937_64& rng, const RandomInstanceOptions& options)
{
  Problem problem;
  Platform& p        = problem.platform;
  p.file             = "random";
  const int devices  = uniform_int(rng, 1, options.max_devices);
  const bool camera  = uniform_int(rng, 0, 2) == 0; // a source/sink host that runs no stage
  const bool same    = uniform_int(rng, 0, 2) == 0; // identical devices
  const int cores    = uniform_int(rng, 1, 4);
  const double speed = log_uniform(rng, 1e8, 1e10);
  for (int d = 0; d < devices; ++d)
    p.hosts.push_back(HostInfo{fmt::format("d{}", d),
                               same ? cores : uniform_int(rng, 1, 4),
                               same ? speed : log_uniform(rng, 1e8, 1e10),
                               0,
                               "",
                               {}});
  if (camera)
    p.hosts.push_back(HostInfo{"camera", 1, 1e9, 0, "", {}});
  connect(rng, p);

  const int blocks  = uniform_int(rng, 1, options.max_blocks);
  Chain& chain      = problem.chain;
  chain.model_name  = "random";
  chain.input_bytes = log_uniform(rng, 1e3, 1e7);
  const char* ops[] = {"conv", "fc", "relu", "add"};
  for (int b = 0; b < blocks; ++b) {
    Block block;
    block.name        = fmt::format("b{}", b);
    block.first_layer = block.last_layer = b;
    const int op_count                   = uniform_int(rng, 1, 2);
    for (int i = 0; i < op_count; ++i) {
      const double flop = log_uniform(rng, 1e6, 1e10);
      block.flop_by_op[ops[uniform_int(rng, 0, 3)]] += flop;
      block.flop += flop;
    }
    block.param_bytes = uniform_int(rng, 0, 1) ? log_uniform(rng, 1e3, 1e8) : 0;
    block.cut_bytes   = log_uniform(rng, 1e3, 1e7);
    chain.blocks.push_back(block);
  }

  for (int d = 0; d < devices; ++d)
    problem.devices.push_back(d);
  std::shuffle(problem.devices.begin(), problem.devices.end(), rng);
  problem.devices.resize(uniform_int(rng, 1, devices));
  const int hosts = static_cast<int>(p.hosts.size());
  if (uniform_int(rng, 0, 2) > 0)
    problem.source = camera ? hosts - 1 : uniform_int(rng, 0, hosts - 1);
  if (uniform_int(rng, 0, 2) > 0)
    problem.sink = camera ? hosts - 1 : uniform_int(rng, 0, hosts - 1);

  Deployment& d  = problem.deployment;
  d.device_reuse = uniform_int(rng, 0, 1);
  d.max_cuts     = uniform_int(rng, 0, 2) == 0 ? -1 : uniform_int(rng, 0, 3);
  d.queue_depth  = uniform_int(rng, 1, 3);
  switch (uniform_int(rng, 0, 2)) {
  case 0:
    break; // every core
  case 1:
    d.threads = uniform_int(rng, 1, 4);
    break;
  default:
    d.threads_auto = true;
  }
  if (uniform_int(rng, 0, 2) == 0) { // memory limits that bind sometimes
    double weights = 0;
    for (const auto& block : chain.blocks)
      weights += block.param_bytes;
    for (auto& host : p.hosts)
      host.memory_bytes = (weights + 1e7) * std::uniform_real_distribution<double>(0.2, 1.2)(rng);
  }
  return problem;
}

} // namespace pipesplit::test
