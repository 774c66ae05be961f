#include "tests/support/random_instances.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

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
          p.routes[a][b] = Route{{link(fmt::format("l{}_{}", a, b), Sharing::Shared)}, 0, 0};
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
          p.routes[a][b] = Route{.links = {up[a], down[b]}};
  } else if (shape == 2) { // one shared medium, crossed twice (a WiFi cell)
    const int air = link("air", Sharing::Shared);
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{.links = {air, air}};
  } else { // per-host SHARED access links through a FATPIPE backbone
    const int backbone = link("backbone", Sharing::FatPipe);
    std::vector<int> access;
    for (int h = 0; h < n; ++h)
      access.push_back(link(fmt::format("h{}", h), Sharing::Shared));
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        if (a != b)
          p.routes[a][b] = Route{.links = {access[a], backbone, access[b]}};
  }
  p.finalize();
}

double total_weights(const Chain& chain)
{
  double weights = 0;
  for (const auto& block : chain.blocks)
    weights += block.param_bytes;
  return weights;
}

// A chain of 1 to `max_blocks` blocks of one or two op types, some with weights.
Chain random_chain(std::mt19937_64& rng, int max_blocks)
{
  const int blocks = uniform_int(rng, 1, max_blocks);
  Chain chain;
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
  return chain;
}

// Reuse, cut limit, queue depth, thread mode (automatic threads: at most 3 cores and 5 blocks, for brute force's
// sake) and the source's pace.
void random_deployment(std::mt19937_64& rng, Problem& problem)
{
  Chain& chain   = problem.chain;
  Platform& p    = problem.platform;
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
    // Brute force tries every thread count of every stage: keep that enumeration small.
    for (auto& host : p.hosts)
      host.cores = std::min(host.cores, 3);
    if (chain.blocks.size() > 5)
      chain.blocks.resize(5);
  }
  switch (uniform_int(rng, 0, 5)) { // the source's pace
  case 0:
    d.source_rate_hz = log_uniform(rng, 0.01, 100);
    break;
  case 1:
    d.window = uniform_int(rng, 1, 4);
    break;
  default:
    break; // closed loop, default window
  }
}

// Random pstates (the drawn speed is the current one), powers and costs.
void add_power(std::mt19937_64& rng, Platform& p)
{
  for (auto& host : p.hosts) {
    const int pstates = uniform_int(rng, 1, 3);
    host.pstate       = uniform_int(rng, 0, pstates - 1);
    host.pstate_speeds.clear();
    for (int s = 0; s < pstates; ++s)
      host.pstate_speeds.push_back(host.core_speed_flops * std::pow(0.6, s - host.pstate));
    for (int s = 0; s < pstates; ++s) {
      const double idle    = std::uniform_real_distribution<double>(0.5, 5)(rng) * std::pow(0.8, s);
      const double epsilon = uniform_int(rng, 0, 1) ? idle : idle * std::uniform_real_distribution<double>(1, 2)(rng);
      host.power.push_back(PowerState{idle, epsilon, epsilon + std::uniform_real_distribution<double>(0, 8)(rng)});
    }
    host.wattage_off_W = uniform_int(rng, 0, 1) ? 0 : std::uniform_real_distribution<double>(0, 0.5)(rng);
    host.cost          = uniform_int(rng, 1, 5) * 10;
  }
  for (auto& link : p.links)
    if (uniform_int(rng, 0, 2) > 0) {
      const double idle = std::uniform_real_distribution<double>(0, 3)(rng);
      link.power        = LinkPower{idle, idle + std::uniform_real_distribution<double>(0, 5)(rng)};
    }
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
    p.hosts.push_back(HostInfo{.name             = fmt::format("d{}", d),
                               .cores            = same ? cores : uniform_int(rng, 1, 4),
                               .core_speed_flops = same ? speed : log_uniform(rng, 1e8, 1e10)});
  if (camera)
    p.hosts.push_back(HostInfo{.name = "camera", .cores = 1, .core_speed_flops = 1e9});
  connect(rng, p);

  problem.chain = random_chain(rng, options.max_blocks);

  for (int d = 0; d < devices; ++d)
    problem.devices.push_back(d);
  std::shuffle(problem.devices.begin(), problem.devices.end(), rng);
  problem.devices.resize(uniform_int(rng, 1, devices));
  const int hosts = static_cast<int>(p.hosts.size());
  if (uniform_int(rng, 0, 2) > 0)
    problem.source = camera ? hosts - 1 : uniform_int(rng, 0, hosts - 1);
  if (uniform_int(rng, 0, 2) > 0)
    problem.sink = camera ? hosts - 1 : uniform_int(rng, 0, hosts - 1);

  random_deployment(rng, problem);
  if (uniform_int(rng, 0, 2) == 0) { // memory limits that bind sometimes
    const double weights = total_weights(problem.chain);
    for (auto& host : p.hosts)
      host.memory_bytes = (weights + 1e7) * std::uniform_real_distribution<double>(0.2, 1.2)(rng);
  }
  if (options.power)
    add_power(rng, p);
  return problem;
}

namespace {

struct LinkFigures {
  double bandwidth_Bps, latency_s;
};

LinkFigures random_link_figures(std::mt19937_64& rng)
{
  return {log_uniform(rng, 1e6, 1e10), uniform_int(rng, 0, 1) ? log_uniform(rng, 1e-5, 1e-2) : 0};
}

// Links whose figures depend only on the types of the hosts they join (`type_of` per host), in one of four shapes:
// a star of cables, a dedicated link per ordered pair, access links through a FATPIPE backbone, or one shared cell
// (where transfers compete: the DP over types does not apply there).
void connect_typed(std::mt19937_64& rng, Platform& p, const std::vector<int>& type_of, int types)
{
  const int n     = static_cast<int>(p.hosts.size());
  const int shape = std::array{0, 0, 0, 0, 1, 1, 1, 2, 2, 3}[uniform_int(rng, 0, 9)]; // mostly where the DP applies
  std::vector<std::vector<LinkFigures>> figures(types, std::vector<LinkFigures>(types));
  for (auto& row : figures)
    for (auto& f : row)
      f = random_link_figures(rng);
  auto link = [&](const std::string& name, LinkFigures f, Sharing sharing) {
    p.links.push_back(LinkInfo{name, f.bandwidth_Bps, f.latency_s, sharing});
    return static_cast<int>(p.links.size()) - 1;
  };
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  std::vector<int> up, down;
  const int shared   = shape == 3 ? link("air", random_link_figures(rng), Sharing::Shared) : -1;
  const int backbone = shape == 2 ? link("backbone", random_link_figures(rng), Sharing::FatPipe) : -1;
  for (int h = 0; h < n && (shape == 0 || shape == 2); ++h) { // per-host cables, one figure per type
    up.push_back(link(fmt::format("h{}_UP", h), figures[type_of[h]][0], Sharing::Shared));
    down.push_back(shape == 0 ? link(fmt::format("h{}_DOWN", h), figures[0][type_of[h]], Sharing::Shared) : up[h]);
  }
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (a != b) {
        if (shape == 0)
          p.routes[a][b] = Route{.links = {up[a], down[b]}};
        else if (shape == 1)
          p.routes[a][b] =
              Route{.links = {link(fmt::format("l{}_{}", a, b), figures[type_of[a]][type_of[b]], Sharing::Shared)}};
        else if (shape == 2)
          p.routes[a][b] = Route{.links = {up[a], backbone, down[b]}};
        else
          p.routes[a][b] = Route{.links = {shared, shared}};
      }
  p.finalize();
}

} // namespace

Problem random_typed_problem(std::mt19937_64& rng, const TypedInstanceOptions& options)
{
  Problem problem;
  Platform& p     = problem.platform;
  p.file          = "random-typed";
  const int types = uniform_int(rng, 1, options.max_types);
  std::vector<int> type_of;
  for (int t = 0; t < types; ++t) {
    const int count = uniform_int(rng, 1, options.max_per_type);
    const HostInfo kind{.name = "", .cores = uniform_int(rng, 1, 4), .core_speed_flops = log_uniform(rng, 1e8, 1e10)};
    for (int i = 0; i < count; ++i) {
      p.hosts.push_back(kind);
      p.hosts.back().name = fmt::format("t{}d{}", t, i);
      type_of.push_back(t);
    }
  }
  const int devices = static_cast<int>(p.hosts.size());
  const bool camera = uniform_int(rng, 0, 2) == 0; // a source/sink host that runs no stage, of a type of its own
  if (camera) {
    p.hosts.push_back(HostInfo{.name = "camera", .cores = 1, .core_speed_flops = 1e9});
    type_of.push_back(types);
  }
  connect_typed(rng, p, type_of, types + camera);
  problem.chain = random_chain(rng, options.max_blocks);
  for (int d = 0; d < devices; ++d)
    problem.devices.push_back(d);
  std::shuffle(problem.devices.begin(), problem.devices.end(), rng); // members of a type need not be in order
  if (uniform_int(rng, 0, 3) == 0)                                   // a device as the source or sink
    (uniform_int(rng, 0, 1) ? problem.source : problem.sink) = uniform_int(rng, 0, devices - 1);
  else if (camera)
    problem.source = problem.sink = devices;
  random_deployment(rng, problem);
  problem.deployment.device_reuse = uniform_int(rng, 0, 4) == 0; // mostly distinct devices: the DP's setting
  if (uniform_int(rng, 0, 2) == 0) {                             // memory limits per type that bind sometimes
    std::vector<double> memory(types);
    for (double& m : memory)
      m = (total_weights(problem.chain) + 1e7) * std::uniform_real_distribution<double>(0.1, 1.2)(rng);
    for (int h = 0; h < devices; ++h)
      p.hosts[h].memory_bytes = memory[type_of[h]];
  }
  return problem;
}

} // namespace pipesplit::test

#include <fstream>

namespace pipesplit::test {

Placement random_placement(std::mt19937_64& rng, const Problem& problem)
{
  const int n      = problem.chain.size();
  const int slots  = static_cast<int>(problem.devices.size());
  const bool reuse = problem.deployment.device_reuse;
  int max_stages   = problem.deployment.max_cuts >= 0 ? problem.deployment.max_cuts + 1 : n;
  max_stages       = std::min({max_stages, n, reuse ? n : slots});
  const int stages = uniform_int(rng, 1, max_stages);
  // Distinct cut positions.
  std::vector<int> cuts(n - 1);
  std::iota(cuts.begin(), cuts.end(), 0);
  std::shuffle(cuts.begin(), cuts.end(), rng);
  cuts.resize(stages - 1);
  std::sort(cuts.begin(), cuts.end());
  Placement placement;
  std::vector<int> unused = problem.devices;
  std::shuffle(unused.begin(), unused.end(), rng);
  int first = 0;
  for (int s = 0; s < stages; ++s) {
    const int last = s < stages - 1 ? cuts[s] : n - 1;
    int device;
    do {
      device = reuse ? problem.devices[uniform_int(rng, 0, slots - 1)] : unused.back();
    } while (reuse && !placement.stages.empty() && placement.stages.back().device == device && slots > 1);
    if (!reuse)
      unused.pop_back();
    if (!placement.stages.empty() && placement.stages.back().device == device) // one device only: merge
      placement.stages.back().last = last;
    else
      placement.stages.push_back(Stage{device, first, last, uniform_int(rng, 1, problem.host(device).cores)});
    first = last + 1;
  }
  return placement;
}

void write_platform_file(Platform& platform, const std::string& path)
{
  std::ofstream out(path);
  out << "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
         "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n";
  for (const auto& host : platform.hosts) {
    std::string speeds, power;
    for (double speed : host.pstate_speeds.empty() ? std::vector<double>{host.core_speed_flops} : host.pstate_speeds)
      speeds += fmt::format("{}{:.17g}f", speeds.empty() ? "" : ",", speed);
    for (const auto& state : host.power)
      power += fmt::format("{}{:.17g}:{:.17g}:{:.17g}", power.empty() ? "" : ",", state.idle_W, state.epsilon_W,
                           state.all_cores_W);
    out << fmt::format("    <host id=\"{}\" speed=\"{}\" core=\"{}\" pstate=\"{}\">", host.name, speeds, host.cores,
                       host.pstate);
    if (!power.empty())
      out << fmt::format("<prop id=\"wattage_per_state\" value=\"{}\"/><prop id=\"wattage_off\" value=\"{:.17g}\"/>",
                         power, host.wattage_off_W);
    out << "</host>\n";
  }
  for (const auto& link : platform.links) {
    out << fmt::format("    <link id=\"{}\" bandwidth=\"{:.17g}Bps\" latency=\"{:.17g}s\" sharing_policy=\"{}\">",
                       link.name, link.bandwidth_Bps, link.latency_s,
                       link.sharing == Sharing::FatPipe ? "FATPIPE" : "SHARED");
    if (link.power)
      out << fmt::format("<prop id=\"wattage_range\" value=\"{:.17g}:{:.17g}\"/>", link.power->idle_W,
                         link.power->busy_W);
    out << "</link>\n";
  }
  for (size_t a = 0; a < platform.hosts.size(); ++a)
    for (size_t b = 0; b < platform.hosts.size(); ++b)
      if (a != b && platform.routes[a][b]) {
        out << fmt::format("    <route src=\"{}\" dst=\"{}\" symmetrical=\"NO\">", platform.hosts[a].name,
                           platform.hosts[b].name);
        for (int link : platform.routes[a][b]->links)
          out << fmt::format("<link_ctn id=\"{}\"/>", platform.links[link].name);
        out << "</route>\n";
      }
  out << "  </zone>\n</platform>\n";
  platform.file = path;
}

} // namespace pipesplit::test
