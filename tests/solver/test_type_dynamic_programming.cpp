// The DP over device types: which devices form types, where it applies, and that it finds the optimum (brute force
// on small typed platforms, the branch and bound's search on larger ones).

#include "cost/placement.hpp"
#include "solver/device_types.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/solver.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

// Four devices on a star of cables: two slow boards on 100 MB/s cables, two fast ones on 1 GB/s cables.
Problem four_boards()
{
  Problem problem;
  Platform& p = problem.platform;
  for (int i = 0; i < 4; ++i) {
    p.hosts.push_back(HostInfo{.name = fmt::format("b{}", i), .cores = 2, .core_speed_flops = i < 2 ? 1e9 : 4e9});
    const double bandwidth = i < 2 ? 1e8 : 1e9;
    p.links.push_back(LinkInfo{fmt::format("b{}_UP", i), bandwidth, 1e-4, Sharing::Shared});
    p.links.push_back(LinkInfo{fmt::format("b{}_DOWN", i), bandwidth, 1e-4, Sharing::Shared});
  }
  p.routes.assign(4, std::vector<std::optional<Route>>(4));
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      if (a != b)
        p.routes[a][b] = Route{.links = {2 * a, 2 * b + 1}};
  p.finalize();
  for (int i = 0; i < 6; ++i) {
    Block block;
    block.name             = fmt::format("x{}", i);
    block.flop             = 1e9;
    block.flop_by_op["fc"] = 1e9;
    block.cut_bytes        = 1e6;
    problem.chain.blocks.push_back(block);
  }
  problem.chain.input_bytes = 1e6;
  problem.devices           = {3, 0, 2, 1};
  return problem;
}

void check_valid(const Problem& problem, const SolveResult& result)
{
  REQUIRE(result.feasible);
  CHECK_NOTHROW(validate_placement(result.placement, problem, "result"));
  const Prediction again = predict(problem, result.placement);
  CHECK(again.violations.empty());
  CHECK(again.period_s == Approx(result.prediction.period_s).epsilon(1e-12));
}

} // namespace

TEST_CASE("device types group equal devices whose transfers cost alike", "[solver][types]")
{
  const Problem problem = four_boards();
  const SearchSpace space(problem);
  const DeviceTypes types = device_types(space);
  REQUIRE(types.reason.empty());
  REQUIRE(types.count() == 2);
  CHECK(types.members[0] == std::vector<int>{0, 2}); // slots of hosts 3 and 2, in slot order
  CHECK(types.members[1] == std::vector<int>{1, 3});
  // Between a fast and a slow board: two cable latencies, the slow cable's rate.
  CHECK(types.between[0][1].latency_s == Approx(2e-4));
  CHECK(types.between[0][1].seconds_per_byte == Approx(1e-8));
  CHECK(types.between[0][0].seconds_per_byte == Approx(1e-9));
  CHECK(type_dp_exactness(space).empty());
}

TEST_CASE("device types fall back to symmetry classes, or say why they cannot apply", "[solver][types]")
{
  Problem problem = four_boards();
  SECTION("a slow board's cable differs: it is a type of its own")
  {
    problem.platform.links[0].bandwidth_Bps = problem.platform.links[1].bandwidth_Bps = 5e7; // b0's cable
    const DeviceTypes types = device_types(SearchSpace(problem));
    REQUIRE(types.reason.empty());
    CHECK(types.count() == 3);
  }
  SECTION("the source is a type of its own")
  {
    problem.source = 2;
    CHECK(device_types(SearchSpace(problem)).count() == 3);
  }
  SECTION("one route longer than the others between its types: its ends fall in classes of their own")
  {
    problem.platform.routes[0][1]->links = {0, 3, 0}; // b0 to b1 crosses b0's cable twice
    problem.platform.finalize();
    const SearchSpace space(problem);
    const DeviceTypes types = device_types(space);
    REQUIRE(types.reason.empty());
    CHECK(types.count() == 3);
    CHECK(type_dp_exactness(space).empty());
  }
  SECTION("transfers that share a link: not applicable")
  {
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b)
        if (a != b)
          problem.platform.routes[a][b]->links = {0};
    problem.platform.finalize();
    CHECK_THAT(type_dp_exactness(SearchSpace(problem)), Catch::Contains("share a link"));
  }
  SECTION("device reuse: not applicable, and the default solver answers")
  {
    problem.deployment.device_reuse = true;
    const SolveResult result        = solve(problem, SolveOptions{SolverKind::TypeDynamicProgramming});
    CHECK_THAT(result.note, Catch::StartsWith("the DP over device types does not apply: device reuse"));
    const SolveResult bnb = solve(problem, SolveOptions{SolverKind::BranchAndBound});
    CHECK(result.prediction.period_s == bnb.prediction.period_s);
    CHECK(result.optimal);
  }
}

TEST_CASE("the DP over device types equals brute force on 2500 random typed instances", "[solver][property]")
{
  std::mt19937_64 rng(20261201);
  int applicable = 0, feasible = 0, several_members = 0, memory = 0, cut_limit = 0, auto_threads = 0, pinned = 0,
      split = 0;
  for (int trial = 0; trial < 2500; ++trial) {
    const Problem problem = test::random_typed_problem(rng);
    INFO("trial " << trial);
    const SearchSpace space(problem);
    if (!type_dp_exactness(space).empty())
      continue;
    ++applicable;
    const SolveResult typed = solve(problem, SolveOptions{SolverKind::TypeDynamicProgramming});
    const SolveResult brute = solve(problem, SolveOptions{SolverKind::BruteForce});
    REQUIRE(typed.feasible == brute.feasible);
    if (!brute.feasible)
      continue;
    ++feasible;
    check_valid(problem, typed);
    CHECK(typed.optimal);
    CHECK(typed.solver == "typedp");
    CHECK(typed.prediction.period_s == Approx(brute.prediction.period_s).epsilon(1e-9));
    if (!problem.deployment.threads_auto) // there the thread choice minimises the devices' loads first
      CHECK(typed.prediction.latency_s == Approx(brute.prediction.latency_s).epsilon(1e-9));
    const DeviceTypes types = device_types(space);
    several_members += std::any_of(types.members.begin(), types.members.end(), [](auto& m) { return m.size() > 1; });
    memory += problem.host(problem.devices[0]).memory_bytes > 0;
    cut_limit += problem.deployment.max_cuts >= 0;
    auto_threads += problem.deployment.threads_auto;
    pinned += problem.source && std::count(problem.devices.begin(), problem.devices.end(), *problem.source) > 0;
    split += typed.placement.stages.size() > 1;
  }
  // The generator covers the interesting cases.
  CHECK(applicable > 1000);
  CHECK(feasible > 900);
  CHECK(several_members > 600);
  CHECK(memory > 200);
  CHECK(cut_limit > 400);
  CHECK(auto_threads > 200);
  CHECK(pinned > 50);
  CHECK(split > 300);
}

TEST_CASE("the DP over device types equals the branch and bound's search on larger typed instances",
          "[solver][property]")
{
  std::mt19937_64 rng(18);
  int compared = 0, large = 0;
  for (int trial = 0; trial < 500; ++trial) {
    const Problem problem = test::random_typed_problem(rng, {3, 6, 30});
    if (!type_dp_exactness(SearchSpace(problem)).empty())
      continue;
    INFO("trial " << trial);
    SolveOptions search;
    search.dp_shortcut      = false;
    search.time_limit_s     = 5;
    const SolveResult bnb   = solve(problem, search);
    const SolveResult typed = solve(problem, SolveOptions{SolverKind::TypeDynamicProgramming});
    REQUIRE(typed.feasible == bnb.feasible);
    if (!bnb.feasible || !bnb.optimal)
      continue;
    ++compared;
    large += problem.devices.size() >= 8 && problem.chain.size() >= 15;
    check_valid(problem, typed);
    CHECK(typed.prediction.period_s == Approx(bnb.prediction.period_s).epsilon(1e-9));
    if (!problem.deployment.threads_auto)
      CHECK(typed.prediction.latency_s == Approx(bnb.prediction.latency_s).epsilon(1e-9));
  }
  CHECK(compared > 180);
  CHECK(large > 30); // 8 to 18 devices, 15 to 30 blocks
}
