// Solver-at-scale benchmark: seeded sets of random instances of the paper's kind (heterogeneous devices, every
// ordered pair of devices on its own link, device reuse), each solved under a time limit; per set the median and
// worst wall time, the median and worst CPU time of the process during each solve (less sensitive to other work on
// the machine than wall time), how many were proven, and the median and worst proven gap. Then the time limit on
// 256 devices and lv08 solves with a camera. Not a test: timings depend on the machine.
// Usage: pipesplit_scale_bench [FILTER [COUNT]]: only the rows whose name contains FILTER, COUNT instances per set
// (default 20).

#include "bench/bench_instances.hpp"
#include "solver/contention_solver.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace pipesplit::solver;
using namespace pipesplit::bench;

namespace {

std::string filter;
int instances = 20;

bool wanted(const std::string& name)
{
  return name.find(filter) != std::string::npos;
}

void header(const char* title)
{
  fmt::print("\n{}\n{:<40} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9}\n", title, "set", "median s", "worst s", "proven",
             "med. gap", "worst gap", "med. CPU", "worst CPU");
}

// One seeded set: `count` instances of blocks x devices, each solved under `limit_s`.
void scale_row(int blocks, int devices, int max_cuts, double limit_s)
{
  const std::string name =
      fmt::format("{} x {}, reuse, {}", blocks, devices,
                  max_cuts < 0 ? std::string("no cut limit") : fmt::format("<= {} cuts", max_cuts));
  if (!wanted(name))
    return;
  std::vector<double> walls, gaps, cpus;
  int proven = 0;
  for (int seed = 0; seed < instances; ++seed) {
    std::mt19937_64 rng(1000 * blocks + 10 * devices + seed);
    Platform platform     = every_pair_linked(devices, rng);
    const Problem problem = make_problem(std::move(platform), random_chain(blocks, rng), true, max_cuts);
    SolveOptions options;
    options.time_limit_s     = limit_s;
    const std::clock_t cpu   = std::clock();
    const SolveResult result = solve(problem, options);
    cpus.push_back(static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    walls.push_back(result.wall_s);
    gaps.push_back(result.gap);
    proven += result.gap == 0;
  }
  fmt::print("{:<40} {:>9.3f} {:>9.3f} {:>4}/{:<2} {:>8.3f}% {:>8.3f}% {:>9.3f} {:>9.3f}\n", name, median(walls),
             worst(walls), proven, instances, 100 * median(gaps), 100 * worst(gaps), median(cpus), worst(cpus));
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
    Problem problem = make_problem(star(random_boards(devices, 125e6, rng), 50e-6), random_chain(24, rng), false, -1);
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
  Problem problem = make_problem(star(random_boards(devices, 125e6, rng), 50e-6), random_chain(50, rng), false, -1);
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
