// Property tests on random small instances: branch and bound equals brute force, DP equals branch and bound where
// DP is exact, every returned placement respects every constraint, and predict() on it gives the reported period.

#include "cost/placement.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/solver.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::solver;

static void check_valid(const Problem& problem, const SolveResult& result)
{
  REQUIRE(result.feasible);
  CHECK_NOTHROW(validate_placement(result.placement, problem, "result"));
  const Prediction again = predict(problem, result.placement);
  CHECK(again.violations.empty());
  CHECK(again.period_s == Approx(result.prediction.period_s).epsilon(1e-12));
}

TEST_CASE("branch and bound equals brute force on 1500 random instances", "[solver][property]")
{
  std::mt19937_64 rng(20261126);
  int feasible = 0, reuse = 0, shared_cases = 0, auto_threads = 0, split = 0, shared_device = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const Problem problem = test::random_problem(rng);
    INFO("trial " << trial);
    const SolveResult brute = solve(problem, SolveOptions{SolverKind::BruteForce});
    const SolveResult bnb   = solve(problem, SolveOptions{SolverKind::BranchAndBound});
    REQUIRE(brute.feasible == bnb.feasible);
    if (!brute.feasible)
      continue;
    CHECK(brute.optimal);
    ++feasible;
    reuse += problem.deployment.device_reuse;
    auto_threads += problem.deployment.threads_auto;
    shared_cases += !dp_exactness(SearchSpace(problem)).empty();
    check_valid(problem, bnb);
    CHECK(bnb.optimal);
    split += brute.placement.stages.size() > 1;
    for (size_t i = 0; i < brute.placement.stages.size(); ++i)
      for (size_t j = i + 1; j < brute.placement.stages.size(); ++j)
        shared_device += brute.placement.stages[i].device == brute.placement.stages[j].device;
    CHECK(bnb.prediction.period_s == Approx(brute.prediction.period_s).epsilon(1e-9));
    // Ties on the period are broken by latency; with automatic threads the thread choice minimises the devices'
    // loads first, so only the period is compared there.
    if (!problem.deployment.threads_auto)
      CHECK(bnb.prediction.latency_s == Approx(brute.prediction.latency_s).epsilon(1e-9));

    // The search itself, also where DP would have answered.
    SolveOptions search_only;
    search_only.dp_shortcut    = false;
    const SolveResult searched = solve(problem, search_only);
    check_valid(problem, searched);
    CHECK(searched.optimal);
    CHECK(searched.prediction.period_s == Approx(brute.prediction.period_s).epsilon(1e-9));
    if (!problem.deployment.threads_auto)
      CHECK(searched.prediction.latency_s == Approx(brute.prediction.latency_s).epsilon(1e-9));

    const SolveResult transfer_only = solve(problem, SolveOptions{SolverKind::BranchAndBound, BoundKind::TransferOnly});
    CHECK(transfer_only.optimal);
    CHECK(transfer_only.prediction.period_s == Approx(brute.prediction.period_s).epsilon(1e-9));
  }
  // The generator covers the interesting cases.
  CHECK(feasible > 1000);
  CHECK(reuse > 300);
  CHECK(shared_cases > 300);
  CHECK(auto_threads > 150);
  CHECK(split > 250);        // optima that partition
  CHECK(shared_device > 35); // optima with a device hosting several stages
}

TEST_CASE("DP equals branch and bound wherever DP is exact", "[solver][property]")
{
  std::mt19937_64 rng(7);
  int exact_cases = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    Problem problem                 = test::random_problem(rng, {5, 8});
    problem.deployment.device_reuse = false;
    if (!dp_exactness(SearchSpace(problem)).empty())
      continue;
    ++exact_cases;
    INFO("trial " << trial);
    const SolveResult dp  = solve(problem, SolveOptions{SolverKind::DynamicProgramming});
    const SolveResult bnb = solve(problem, SolveOptions{SolverKind::BranchAndBound});
    REQUIRE(dp.feasible == bnb.feasible);
    if (!dp.feasible)
      continue;
    CHECK(dp.optimal);
    check_valid(problem, dp);
    CHECK(dp.prediction.period_s == Approx(bnb.prediction.period_s).epsilon(1e-9));
  }
  CHECK(exact_cases > 300);
}

TEST_CASE("greedy baselines return valid placements no better than the optimum", "[solver][property]")
{
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 300; ++trial) {
    const Problem problem    = test::random_problem(rng);
    const SolveResult greedy = solve(problem, SolveOptions{SolverKind::Greedy});
    const SolveResult bnb    = solve(problem, SolveOptions{SolverKind::BranchAndBound});
    if (!greedy.feasible)
      continue;
    INFO("trial " << trial);
    check_valid(problem, greedy);
    CHECK_FALSE(greedy.optimal);
    CHECK(bnb.prediction.period_s <= greedy.prediction.period_s * (1 + 1e-12));
  }
}

TEST_CASE("the period, then its ties: the same placement as one pass over the whole objective, on larger instances",
          "[solver][property]")
{
  // Distinct devices and no shared link: the search proves the period first, then breaks its ties apart.
  std::mt19937_64 rng(1818);
  int compared = 0, identical = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    Problem problem                 = test::random_problem(rng, {10, 26});
    problem.deployment.device_reuse = false;
    const SearchSpace space(problem);
    if (!dp_exactness(space).empty())
      continue;
    INFO("trial " << trial);
    Incumbent split, single;
    const SearchStats a = branch_and_bound(space, SolveOptions{}, split, true);
    const SearchStats b = branch_and_bound(space, SolveOptions{}, single, true, false);
    REQUIRE(split.found == single.found);
    CHECK(a.exhausted);
    CHECK(b.exhausted);
    if (!split.found)
      continue;
    ++compared;
    CHECK(split.prediction.period_s == Approx(single.prediction.period_s).epsilon(1e-12));
    CHECK(split.prediction.latency_s == Approx(single.prediction.latency_s).epsilon(1e-12));
    CHECK(split.placement.stages.size() == single.placement.stages.size());
    identical += split.placement == single.placement;
  }
  // Exact ties (period, latency and stages all equal, e.g. devices of the same speed in different places on the
  // network) are the only difference allowed: each search keeps the first it finds.
  INFO(compared << " compared, " << identical << " identical placements");
  CHECK(compared > 300);
  CHECK(identical >= compared * 95 / 100);
}

TEST_CASE("too many devices for DP over all of them: DP over the fastest seeds the search, the optimum is unchanged",
          "[solver][property]")
{
  std::mt19937_64 rng(2018);
  int compared = 0, seeded_optimum = 0;
  for (int trial = 0; trial < 4000 && compared < 40; ++trial) {
    Problem problem = test::random_problem(rng, {20, 9});
    if (problem.deployment.max_cuts < 0 || problem.deployment.max_cuts > 2)
      problem.deployment.max_cuts = 2; // the search from an empty incumbent stays quick on 15-20 devices
    const SearchSpace space(problem);
    Incumbent all_devices;
    if (dynamic_programming(space, all_devices).exhausted)
      continue; // DP over every device fits: the fastest ones are not asked
    INFO("trial " << trial);
    const SolveResult seeded = solve(problem, SolveOptions{});
    Incumbent plain;
    const SearchStats searched = branch_and_bound(space, SolveOptions{}, plain, dp_exactness(space).empty());
    REQUIRE(seeded.feasible == plain.found);
    CHECK(searched.exhausted);
    if (!plain.found)
      continue;
    ++compared;
    CHECK(seeded.optimal);
    check_valid(problem, seeded);
    CHECK(seeded.prediction.period_s == Approx(plain.prediction.period_s).epsilon(1e-9));
    if (!problem.deployment.threads_auto)
      CHECK(seeded.prediction.latency_s == Approx(plain.prediction.latency_s).epsilon(1e-9));
    seeded_optimum += seeded.solver == "dp";
  }
  INFO(compared << " compared, DP over the fastest devices optimal on " << seeded_optimum);
  CHECK(compared >= 40);
  CHECK(seeded_optimum > 0);
}
