// Certified gaps: the lower bound a solve reports never exceeds the brute-force optimum, whatever stops the search
// (node limits of a few nodes to a few hundred, a relative gap), and equals the period when the solve is proven.

#include "solver/search_algorithms.hpp"
#include "solver/solver.hpp"
#include "solver/suffix_bounds.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

constexpr double slack = 1e-9; // relative: sums in different orders

SolveOptions limited(long long nodes, double gap, bool dp_shortcut)
{
  SolveOptions options;
  options.node_limit  = nodes;
  options.gap         = gap;
  options.dp_shortcut = dp_shortcut;
  return options;
}

} // namespace

TEST_CASE("lower bounds never exceed the brute-force optimum on 1500 random instances", "[solver][bound]")
{
  std::mt19937_64 rng(1802);
  int feasible = 0, stopped = 0, gapped = 0, root_tight = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const Problem problem = test::random_problem(rng, {4, 7});
    INFO("trial " << trial);
    SolveOptions brute_options;
    brute_options.solver    = SolverKind::BruteForce;
    const SolveResult brute = solve(problem, brute_options);
    if (!brute.feasible)
      continue;
    ++feasible;
    const double optimum = brute.prediction.period_s;
    CHECK(brute.lower_bound_s == Approx(optimum).epsilon(slack));
    CHECK(brute.gap == 0);

    const double root = SuffixBounds(SearchSpace(problem)).root_period();
    CHECK(root <= optimum * (1 + slack));
    root_tight += root >= optimum * (1 - slack);

    const SolveResult full = solve(problem, SolveOptions{});
    CHECK(full.optimal);
    CHECK(full.gap == 0);
    CHECK(full.lower_bound_s == Approx(optimum).epsilon(slack));

    for (long long nodes : {1LL, 3LL, 10LL, 30LL, 300LL}) {
      const SolveResult partial = solve(problem, limited(nodes, 0, false));
      REQUIRE(partial.feasible);
      stopped += !partial.optimal;
      CHECK(partial.lower_bound_s <= optimum * (1 + slack));
      CHECK(partial.prediction.period_s >= optimum * (1 - slack));
      CHECK(partial.gap ==
            Approx((partial.prediction.period_s - partial.lower_bound_s) / partial.prediction.period_s).margin(1e-12));
      CHECK(partial.optimal == (partial.gap == 0 && !partial.note.starts_with("stopped")));
      // A node limit, unlike a time limit, gives the same answer every time.
      const SolveResult again = solve(problem, limited(nodes, 0, false));
      CHECK(again.placement == partial.placement);
      CHECK(again.lower_bound_s == partial.lower_bound_s);
    }
    for (double gap : {0.01, 0.1, 0.3}) {
      const SolveResult within = solve(problem, limited(0, gap, false));
      REQUIRE(within.feasible);
      CHECK(within.lower_bound_s <= optimum * (1 + slack));
      CHECK(within.gap <= gap + slack);
      CHECK((within.prediction.period_s - optimum) / within.prediction.period_s <= gap + slack);
      gapped += within.prediction.period_s > optimum * (1 + slack);
    }
  }
  INFO(feasible << " feasible, " << stopped << " stopped by a node limit, " << gapped
                << " answers within a gap but not optimal, root bound tight on " << root_tight);
  CHECK(feasible > 1000);
  CHECK(stopped > 1000);
  CHECK(gapped > 50);
  CHECK(root_tight > 100);
}
