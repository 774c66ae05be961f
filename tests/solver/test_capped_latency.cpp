// The latency floor of the tie-breaking search (capped_latency.hpp): never above the least latency of the
// completions whose period is within the cap, checked exhaustively at every prefix of small random instances.

#include "solver/capped_latency.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/solver.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

struct Walk {
  const SearchSpace& space;
  const CappedLatency& floor;
  double cap;
  int compared = 0;

  // The least latency, by the cost model, of the completions of `partial` whose period is within the cap; checks
  // the floor against it at every prefix on the way.
  double least_latency(PartialPlacement& partial)
  {
    if (partial.complete()) {
      Placement placement         = partial.placement();
      const Prediction prediction = evaluate_placement(space.problem, placement);
      const bool within           = prediction.violations.empty() && prediction.period_s <= cap;
      return within ? prediction.latency_s : infinity;
    }
    double best      = infinity;
    const bool reuse = space.problem.deployment.device_reuse;
    for (int slot = 0; slot < space.slots && partial.stage_count() < space.max_stages; ++slot) {
      if (slot == partial.last_slot() || (!reuse && partial.used(slot)))
        continue;
      for (int last = partial.next_block(); last < space.blocks; ++last) {
        if (!partial.push(slot, last, space.default_threads(slot)))
          continue;
        best = std::min(best, least_latency(partial));
        partial.pop();
      }
    }
    if (partial.next_block() > 0 && std::isfinite(best)) {
      CHECK(partial.latency_floor() + floor.suffix(partial.next_block(), partial.last_slot()) <= best * (1 + 1e-9));
      ++compared;
    }
    return best;
  }
};

} // namespace

TEST_CASE("capped latency: the floor is at most the least latency within the cap, at every prefix", "[solver][bounds]")
{
  std::mt19937_64 rng(1818);
  int checked = 0, compared = 0, tight = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const Problem problem = test::random_problem(rng, {.max_devices = 4, .max_blocks = 6});
    const SearchSpace space(problem);
    if (space.auto_threads)
      continue; // the walk fixes thread counts; with automatic ones the floor uses the most threads, lower still
    const SolveResult brute = solve(problem, SolveOptions{SolverKind::BruteForce});
    if (!brute.feasible)
      continue;
    INFO("trial " << trial);
    // At the optimal period (the search's use) and above it, where more placements fit.
    for (double scale : {1 + 2e-12, 1.3}) {
      const double cap = brute.prediction.period_s * scale;
      const CappedLatency floor(space, cap);
      Walk walk{space, floor, cap};
      PartialPlacement partial(space);
      const double least = walk.least_latency(partial);
      REQUIRE(std::isfinite(least)); // the optimum itself is within the cap
      CHECK(floor.whole() <= least * (1 + 1e-9));
      tight += floor.whole() >= least * (1 - 1e-9);
      compared += walk.compared;
    }
    ++checked;
  }
  INFO(checked << " instances, " << compared << " prefixes compared, whole floor exact on " << tight);
  CHECK(checked > 500);
  CHECK(compared > 3000);
  CHECK(tight > 500); // often exact: a real bound, not a token one
}
