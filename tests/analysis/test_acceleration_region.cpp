// The acceleration region's closed form against the solver on random instances of each case of
// docs/acceleration-region.md: identical devices (two to five, with latency, reuse and cut limits), a slower or
// faster helper, heterogeneous devices, and a shared medium.

#include "analysis/acceleration_region.hpp"
#include "solver/solver.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <random>

using namespace pipesplit;
using namespace pipesplit::analysis;
using namespace pipesplit::test;

namespace {

double log_uniform(std::mt19937_64& rng, double low, double high)
{
  return std::exp(std::uniform_real_distribution<double>(std::log(low), std::log(high))(rng));
}

Chain random_chain(std::mt19937_64& rng)
{
  const int blocks = std::uniform_int_distribution<int>(2, 9)(rng);
  std::vector<double> flop, cuts;
  for (int b = 0; b < blocks; ++b) {
    flop.push_back(log_uniform(rng, 1e8, 1e10));
    cuts.push_back(log_uniform(rng, 1e4, 1e7));
  }
  Chain chain = hand_chain(flop, cuts, 1e6);
  // Mixed op types, so block times are not proportional to FLOP under Amdahl's law.
  for (auto& block : chain.blocks)
    if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
      block.flop_by_op.clear();
      block.flop_by_op["relu"] = block.flop;
    }
  return chain;
}

Problem problem_on(Platform platform, Chain chain, std::mt19937_64& rng)
{
  Problem problem;
  problem.platform = std::move(platform);
  problem.chain    = std::move(chain);
  for (size_t i = 0; i < problem.platform.hosts.size(); ++i)
    problem.devices.push_back(static_cast<int>(i));
  problem.deployment.device_reuse = std::uniform_int_distribution<int>(0, 1)(rng);
  problem.deployment.max_cuts     = std::uniform_int_distribution<int>(-1, 3)(rng);
  return problem;
}

// The solver's speed-up over the best single device.
double solver_speedup(const Problem& problem)
{
  const SolveResult best   = solve(problem, SolveOptions{});
  const SolveResult single = best_single_device(problem);
  REQUIRE(best.optimal);
  return single.prediction.period_s / best.prediction.period_s;
}

void check_bound(const analysis::RegionVerdict& v, double speedup)
{
  CHECK(speedup <= v.speedup_bound * (1 + 1e-9));
}

// 2 to 4 devices of random speeds and cores, a link per pair of random bandwidth and latency, a random chain.
Problem random_heterogeneous_problem(std::mt19937_64& rng)
{
  const int n = std::uniform_int_distribution<int>(2, 4)(rng);
  std::vector<double> speeds;
  std::vector<int> cores;
  for (int i = 0; i < n; ++i) {
    speeds.push_back(log_uniform(rng, 1e8, 1e10));
    cores.push_back(std::uniform_int_distribution<int>(1, 4)(rng));
  }
  return problem_on(pairwise_platform(speeds, cores, log_uniform(rng, 1e5, 1e9), log_uniform(rng, 1e-6, 0.1)),
                    random_chain(rng), rng);
}

// A cell all devices share, crossed twice between any two of them (a WiFi cell's airtime).
Platform shared_cell(int devices, double speed, int cores, double bandwidth, double latency)
{
  Platform p;
  p.file = "cell";
  for (int i = 0; i < devices; ++i)
    p.hosts.push_back(HostInfo{.name = fmt::format("h{}", i), .cores = cores, .core_speed_flops = speed});
  p.links = {LinkInfo{"air", bandwidth, latency, Sharing::Shared}};
  p.routes.assign(devices, std::vector<std::optional<Route>>(devices));
  for (int a = 0; a < devices; ++a)
    for (int b = 0; b < devices; ++b)
      if (a != b)
        p.routes[a][b] = Route{.links = {0, 0}};
  p.finalize();
  return p;
}

} // namespace

TEST_CASE("identical devices: partitioning helps iff one cut does; the bound holds", "[region]")
{
  std::mt19937_64 rng(1);
  int helps = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const int n           = std::uniform_int_distribution<int>(2, 5)(rng);
    const double speed    = log_uniform(rng, 1e8, 1e10);
    const int cores       = std::uniform_int_distribution<int>(1, 4)(rng);
    const double latency  = std::uniform_int_distribution<int>(0, 1)(rng) ? log_uniform(rng, 1e-5, 0.5) : 0;
    Platform platform     = std::uniform_int_distribution<int>(0, 1)(rng)
                                ? pairwise_platform(std::vector<double>(n, speed), std::vector<int>(n, cores),
                                                    log_uniform(rng, 1e5, 1e9), latency)
                                : star_platform(std::vector<double>(n, speed), cores, log_uniform(rng, 1e5, 1e9), latency);
    const Problem problem = problem_on(std::move(platform), random_chain(rng), rng);
    if (problem.deployment.max_cuts == 0)
      continue;
    INFO("trial " << trial);
    const auto verdict   = analysis::acceleration_region(problem);
    const double speedup = solver_speedup(problem);
    CHECK((speedup > 1 + 1e-12) == verdict.helps_two_way);
    CHECK(verdict.helps_two_way == verdict.network_allows); // theorem 2: the two conditions coincide
    check_bound(verdict, speedup);
    helps += verdict.helps_two_way;
  }
  CHECK(helps > 200);
  CHECK(helps < 800);
}

TEST_CASE("a slower or faster helper: the one-cut formula is the solver's answer", "[region]")
{
  std::mt19937_64 rng(2);
  int helps = 0, slower_helps = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const double speed = log_uniform(rng, 1e8, 1e10);
    const double ratio = log_uniform(rng, 0.05, 3); // the helper's speed relative to the first device
    const int cores    = std::uniform_int_distribution<int>(1, 4)(rng);
    Platform platform =
        pairwise_platform({speed, speed * ratio}, {cores, cores}, log_uniform(rng, 1e5, 1e9),
                          std::uniform_int_distribution<int>(0, 1)(rng) ? log_uniform(rng, 1e-5, 0.5) : 0);
    Problem problem                 = problem_on(std::move(platform), random_chain(rng), rng);
    problem.deployment.max_cuts     = -1;
    problem.deployment.device_reuse = false;
    INFO("trial " << trial);
    const auto verdict   = analysis::acceleration_region(problem);
    const double speedup = solver_speedup(problem);
    CHECK((speedup > 1 + 1e-12) == verdict.helps_two_way);
    if (verdict.helps_two_way)
      CHECK(speedup == Approx(verdict.two_way_speedup).epsilon(1e-9));
    // The ceiling for two devices: (K_fast + K_slow) / K_fast (same cores, so times scale with 1 / speed).
    check_bound(verdict, speedup);
    CHECK(speedup <= (1 + std::min(ratio, 1 / ratio)) * (1 + 1e-9));
    helps += verdict.helps_two_way;
    slower_helps += verdict.helps_two_way && ratio < 1;
  }
  CHECK(helps > 200);
  CHECK(slower_helps > 50);
}

TEST_CASE("heterogeneous devices: one cut suffices, some cut is necessary, the bound holds", "[region]")
{
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 1000; ++trial) {
    const Problem problem = random_heterogeneous_problem(rng);
    if (problem.deployment.max_cuts == 0)
      continue;
    INFO("trial " << trial);
    const auto verdict   = analysis::acceleration_region(problem);
    const double speedup = solver_speedup(problem);
    if (verdict.helps_two_way)
      CHECK(speedup > 1);
    if (speedup > 1 + 1e-12)
      CHECK(verdict.network_allows);
    check_bound(verdict, speedup);
  }
}

TEST_CASE("a shared medium: the same verdict with every cut crossing the cell twice; the bound holds", "[region]")
{
  std::mt19937_64 rng(4);
  int helps = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const int n = std::uniform_int_distribution<int>(2, 4)(rng);
    const Problem problem =
        problem_on(shared_cell(n, log_uniform(rng, 1e8, 1e10), std::uniform_int_distribution<int>(1, 4)(rng),
                               log_uniform(rng, 1e5, 1e9), log_uniform(rng, 1e-5, 0.05)),
                   random_chain(rng), rng);
    if (problem.deployment.max_cuts == 0)
      continue;
    INFO("trial " << trial);
    const auto verdict   = analysis::acceleration_region(problem);
    const double speedup = solver_speedup(problem);
    CHECK((speedup > 1 + 1e-12) == verdict.helps_two_way);
    check_bound(verdict, speedup);
    helps += verdict.helps_two_way;
  }
  CHECK(helps > 150);
}

// Every figure of two regions, exactly.
static void check_same_region(const analysis::RegionVerdict& a, const analysis::RegionVerdict& b)
{
  CHECK(a.single_period == b.single_period);
  CHECK(a.single_device == b.single_device);
  CHECK(a.two_way_period == b.two_way_period);
  CHECK(a.helps_two_way == b.helps_two_way);
  CHECK(a.network_allows == b.network_allows);
  CHECK(a.speedup_bound == b.speedup_bound);
  CHECK(a.tau_min == b.tau_min);
}

TEST_CASE("the region is the paper's setting: a source and a sink change no figure of it", "[region]")
{
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    Problem with_ends = random_heterogeneous_problem(rng);
    const int n       = static_cast<int>(with_ends.platform.hosts.size());
    Problem paper     = with_ends; // stripped by hand
    with_ends.source  = std::uniform_int_distribution<int>(0, n - 1)(rng);
    with_ends.sink    = std::uniform_int_distribution<int>(0, n - 1)(rng);
    INFO("trial " << trial);
    const auto a = analysis::acceleration_region(with_ends);
    const auto b = analysis::acceleration_region(paper);
    check_same_region(a, b);
    // The source's input transfer is not charged: the region's single period is the best device's compute alone.
    const SolveResult single = best_single_device(paper);
    CHECK(a.single_period == Approx(single.prediction.period_s).epsilon(1e-12));
  }
}

TEST_CASE("the region from a search space made once is the region from the problem", "[region]")
{
  // Sweeps share one SearchSpace per point; with a source or sink the region is the paper's setting's, without them.
  std::mt19937_64 rng(5);
  int with_transfers = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const Problem problem = random_problem(rng);
    with_transfers += problem.source || problem.sink;
    INFO("trial " << trial);
    const auto from_space   = analysis::acceleration_region(solver::SearchSpace(problem));
    const auto from_problem = analysis::acceleration_region(problem);
    check_same_region(from_space, from_problem);
  }
  CHECK(with_transfers > 50);
}
