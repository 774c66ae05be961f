// Solver-at-scale benchmark: seeded sets of random instances of the paper's kind (heterogeneous devices, every
// ordered pair of devices on its own link, device reuse), each solved under a time limit; per set the median and
// worst wall time, how many were proven, and the median and worst proven gap. Then the time limit on 256 devices
// and lv08 solves with a camera. Not a test: timings depend on the machine.
// Usage: pipesplit_scale_bench [FILTER [COUNT]]: only the rows whose name contains FILTER, COUNT instances per set
// (default 20).

#include "solver/contention_solver.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace pipesplit::solver;

namespace {

double log_uniform(std::mt19937_64& rng, double low, double high)
{
  return std::exp(std::uniform_real_distribution<double>(std::log(low), std::log(high))(rng));
}

// `count` heterogeneous devices (1-6 cores, 2-60 GFLOP/s per core); every ordered pair on its own link of
// 0.1-1 Gbit/s, 50 us.
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

// Devices on a switch, each with its own SPLITDUPLEX cable (the shipped platforms' shape).
Platform star(int count, double link_Bps, std::mt19937_64& rng)
{
  Platform p;
  p.file = "bench";
  for (int i = 0; i < count; ++i) {
    p.hosts.push_back(HostInfo{fmt::format("d{}", i), 4, log_uniform(rng, 2e9, 10e9), 0, "", {}, {}});
    p.links.push_back(LinkInfo{fmt::format("d{}_UP", i), link_Bps, 50e-6, Sharing::Shared});
    p.links.push_back(LinkInfo{fmt::format("d{}_DOWN", i), link_Bps, 50e-6, Sharing::Shared});
  }
  p.routes.assign(count, std::vector<std::optional<Route>>(count));
  for (int a = 0; a < count; ++a)
    for (int b = 0; b < count; ++b)
      if (a != b)
        p.routes[a][b] = Route{{2 * a, 2 * b + 1}, 0, 0};
  p.finalize();
  return p;
}

// A chain of `blocks` blocks of 0.1-2 GFLOP, 1-20 MB of weights, cuts of 20 kB-2 MB.
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

template <class T>
T median(std::vector<T> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class T>
T worst(const std::vector<T>& v)
{
  return *std::max_element(v.begin(), v.end());
}

std::string filter;
int instances = 20;

bool wanted(const std::string& name)
{
  return name.find(filter) != std::string::npos;
}

void header(const char* title)
{
  fmt::print("\n{}\n{:<40} {:>9} {:>9} {:>7} {:>9} {:>9}\n", title, "set", "median s", "worst s", "proven", "med. gap",
             "worst gap");
}

// One seeded set: `count` instances of blocks x devices, each solved under `limit_s`.
void scale_row(int blocks, int devices, int max_cuts, double limit_s)
{
  const std::string name =
      fmt::format("{} x {}, reuse, {}", blocks, devices,
                  max_cuts < 0 ? std::string("no cut limit") : fmt::format("<= {} cuts", max_cuts));
  if (!wanted(name))
    return;
  std::vector<double> walls, gaps;
  int proven = 0;
  for (int seed = 0; seed < instances; ++seed) {
    std::mt19937_64 rng(1000 * blocks + 10 * devices + seed);
    Platform platform     = every_pair_linked(devices, rng);
    const Problem problem = make_problem(std::move(platform), random_chain(blocks, rng), true, max_cuts);
    SolveOptions options;
    options.time_limit_s     = limit_s;
    const SolveResult result = solve(problem, options);
    walls.push_back(result.wall_s);
    gaps.push_back(result.gap);
    proven += result.gap == 0;
  }
  fmt::print("{:<40} {:>9.3f} {:>9.3f} {:>4}/{:<2} {:>8.3f}% {:>8.3f}%\n", name, median(walls), worst(walls), proven,
             instances, 100 * median(gaps), 100 * worst(gaps));
}

// lv08, `devices` Pi-like boards on a 1 Gbit/s switch, ResNet-like random chain; with a camera on d0 at
// `rate_hz` (0: closed loop), results back to d0.
void lv08_row(int devices, double rate_hz, double limit_s)
{
  const std::string name = fmt::format("lv08, {} devices, {}", devices,
                                       rate_hz > 0 ? fmt::format("camera {:g} Hz", rate_hz) : "closed loop");
  if (!wanted(name))
    return;
  std::vector<double> walls, gaps;
  int proven = 0;
  for (int seed = 0; seed < instances; ++seed) {
    std::mt19937_64 rng(77 * devices + seed);
    Problem problem                   = make_problem(star(devices, 125e6, rng), random_chain(24, rng), false, -1);
    problem.deployment.network        = NetworkModel::Lv08;
    problem.deployment.source_rate_hz = rate_hz;
    problem.source = problem.sink = 0;
    SolveOptions options;
    options.time_limit_s     = limit_s;
    const SolveResult result = solve_with_contention(problem, options, {ScheduleOptions{50, 500}});
    walls.push_back(result.wall_s);
    gaps.push_back(result.gap);
    proven += result.gap == 0;
  }
  fmt::print("{:<40} {:>9.3f} {:>9.3f} {:>4}/{:<2} {:>8.3f}% {:>8.3f}%\n", name, median(walls), worst(walls), proven,
             instances, 100 * median(gaps), 100 * worst(gaps));
}

// The time limit on many devices (dp_exactness and the schedule's ratings used to run outside it).
void limit_row(int devices, NetworkModel network, double limit_s)
{
  const std::string name = fmt::format("{} devices, 50 blocks, {}, --time-limit {:g}", devices,
                                       network == NetworkModel::Lv08 ? "lv08" : "ideal", limit_s);
  if (!wanted(name))
    return;
  std::mt19937_64 rng(devices);
  Problem problem            = make_problem(star(devices, 125e6, rng), random_chain(50, rng), false, -1);
  problem.deployment.network = network;
  SolveOptions options;
  options.time_limit_s     = limit_s;
  const SolveResult result = solve_with_contention(problem, options, {ScheduleOptions{50, 500}});
  fmt::print("{:<40} {:>9.3f} {:>9} {:>7} {:>8.3f}%\n", name, result.wall_s, "", result.gap == 0 ? "yes" : "no",
             100 * result.gap);
}

} // namespace

int main(int argc, char** argv)
{
  if (argc > 1)
    filter = argv[1];
  if (argc > 2)
    instances = std::max(1, std::atoi(argv[2]));
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  header("Certified search, 20 seeded instances per set, each stopped at 10 s (gap 0: proven).");
  scale_row(50, 8, 5, 10);
  scale_row(100, 16, 5, 10);
  scale_row(50, 8, -1, 10);
  scale_row(50, 16, -1, 10);
  scale_row(200, 16, -1, 10);
  scale_row(400, 16, -1, 10);
  header("Time limits on many devices (one instance).");
  limit_row(256, NetworkModel::Ideal, 1);
  limit_row(64, NetworkModel::Lv08, 2);
  header("lv08, contention-aware, 20 seeded instances per set, 24 blocks, stopped at 10 s.");
  for (int devices : {4, 8}) {
    lv08_row(devices, 1, 10);
    lv08_row(devices, 0, 10);
  }
  return 0;
}
