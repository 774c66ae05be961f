// The search's parts on their own: the water level, the suffix bounds (never above any completion's period, checked
// exhaustively), the symmetry classes, and the thread counts of stages sharing a device (against every tuple).

#include "solver/incumbent.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/suffix_bounds.hpp"
#include "solver/symmetry.hpp"
#include "solver/thread_assignment.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace pipesplit;
using namespace pipesplit::solver;

TEST_CASE("water level: remaining work split fractionally over the open devices, by hand", "[solver][bounds]")
{
  std::vector<std::pair<double, double>> idle{{0, 1}, {0, 1}}; // (load s, rate FLOP/s)
  CHECK(water_level(idle, 2) == Approx(1));                    // 1 s each
  std::vector<std::pair<double, double>> busy{{2, 1}, {0, 1}};
  CHECK(water_level(busy, 1) == Approx(1)); // the busy device is above the level: the idle one does it all
  std::vector<std::pair<double, double>> mixed{{1, 1}, {0, 2}};
  CHECK(water_level(mixed, 5) == Approx(2)); // 2 x 2 + (2 - 1) x 1 = 5
  std::vector<std::pair<double, double>> none;
  CHECK(std::isinf(water_level(none, 1)));
}

namespace {

// The smallest period, by the cost model, of every allowed completion of `partial` (reuse and the cut limit
// respected, the deployment's thread counts), checking on the way that the bounds never exceed it and that
// earliest_end() never skips a stage end through which a completion reaches its period.
double best_completion(const SearchSpace& space, const SuffixBounds& bounds, PartialPlacement& partial)
{
  if (partial.complete()) {
    Placement placement = partial.placement();
    return evaluate_placement(space.problem, placement).period_s;
  }
  double best       = std::numeric_limits<double>::infinity();
  const bool reuse  = space.problem.deployment.device_reuse;
  const int first   = partial.next_block();
  const bool at_cap = partial.stage_count() == space.max_stages;
  for (int slot = 0; slot < space.slots && !at_cap; ++slot) {
    if (slot == partial.last_slot() || (!reuse && partial.used(slot)))
      continue;
    for (int last = first; last < space.blocks; ++last) {
      if (!partial.push(slot, last, space.default_threads(slot)))
        continue;
      const double through = best_completion(space, bounds, partial); // best completion with this stage
      partial.pop();
      best = std::min(best, through);
      if (std::isfinite(through)) // a stage that ends here can lead to `through`: earliest_end may not skip it
        CHECK(bounds.earliest_end(partial, slot, through * (1 + 1e-9)) <= last);
    }
  }
  if (first > 0 && std::isfinite(best)) {
    CHECK(bounds.period(partial) <= best * (1 + 1e-9));
    CHECK(bounds.can_finish_within(partial, best * (1 + 1e-9)));
  }
  return best;
}

} // namespace

TEST_CASE("suffix bounds never exceed the best completion of any prefix (exhaustive, random instances)",
          "[solver][bounds]")
{
  std::mt19937_64 rng(11);
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Problem problem = test::random_problem(rng, {.max_devices = 4, .max_blocks = 5});
    const SearchSpace space(problem);
    if (space.auto_threads)
      continue; // thread counts chosen per device: the bounds hold for them, but this enumeration fixes threads
    const SuffixBounds bounds(space);
    PartialPlacement partial(space);
    INFO("trial " << trial);
    best_completion(space, bounds, partial);
    ++checked;
  }
  CHECK(checked > 100);
}

// The definition, walked out in full: swapping a and b maps every route between the hosts onto a route, link for
// link, through one consistent map of links of equal figures. The solver checks only the routes the swap moves.
static bool swap_is_automorphism(const Platform& platform, const std::vector<int>& hosts, int a, int b)
{
  auto swapped = [&](int h) { return h == a ? b : h == b ? a : h; };
  std::map<int, int> forward, backward;
  for (int x : hosts)
    for (int y : hosts) {
      if (x == y)
        continue;
      const auto& original = platform.routes[x][y];
      const auto& image    = platform.routes[swapped(x)][swapped(y)];
      if (original.has_value() != image.has_value())
        return false;
      if (!original)
        continue;
      if (original->links.size() != image->links.size())
        return false;
      for (size_t i = 0; i < original->links.size(); ++i) {
        const int from = original->links[i], to = image->links[i];
        const auto &f = platform.links[from], &t = platform.links[to];
        if (f.bandwidth_Bps != t.bandwidth_Bps || f.latency_s != t.latency_s || f.sharing != t.sharing)
          return false;
        if (forward.emplace(from, to).first->second != to || backward.emplace(to, from).first->second != from)
          return false;
      }
    }
  return true;
}

TEST_CASE("symmetry classes: equal to the definition walked out in full, on random platforms", "[solver][symmetry]")
{
  std::mt19937_64 rng(808);
  int symmetric_pairs = 0, asymmetric_pairs = 0;
  for (int trial = 0; trial < 600; ++trial) {
    Problem problem = test::random_problem(rng, {5, 3});
    for (auto& host : problem.platform.hosts) // identical boards: only the network tells them apart
      host = problem.platform.hosts[0];
    std::bernoulli_distribution perturb(0.3);
    for (auto& link : problem.platform.links)
      if (perturb(rng))
        link.bandwidth_Bps *= 2;
    problem.platform.finalize();
    const auto classes     = device_symmetry_classes(problem);
    std::vector<int> hosts = problem.devices;
    for (auto end : {problem.source, problem.sink})
      if (end && std::find(hosts.begin(), hosts.end(), *end) == hosts.end())
        hosts.push_back(*end);
    for (size_t i = 0; i < problem.devices.size(); ++i)
      for (size_t j = i + 1; j < problem.devices.size(); ++j) {
        const int a = problem.devices[i], b = problem.devices[j];
        if (a == problem.source || a == problem.sink || b == problem.source || b == problem.sink)
          continue;
        const bool swappable = swap_is_automorphism(problem.platform, hosts, a, b);
        INFO("trial " << trial << ", slots " << i << " and " << j);
        // Classes are built against each class's first member; a swap with it decides membership.
        const bool first_of_class = std::find(classes.begin(), classes.end(), classes[i]) == classes.begin() + i;
        if (first_of_class)
          CHECK((classes[j] == classes[i]) == swappable);
        (swappable ? symmetric_pairs : asymmetric_pairs)++;
      }
  }
  CHECK(symmetric_pairs > 100);
  CHECK(asymmetric_pairs > 100);
}

TEST_CASE("symmetry classes: same device at the same network position, and nothing else", "[solver][symmetry]")
{
  Problem problem = test::paper_problem(test::star_platform({1e9, 1e9, 1e9, 2e9}, 4, 1e8, 1e-3),
                                        test::hand_chain({1e9, 1e9}, {1e6, 0}, 1e6), false);
  CHECK(device_symmetry_classes(problem) == std::vector<int>{0, 0, 0, 1}); // h3 is faster
  problem.source = 0;
  CHECK(device_symmetry_classes(problem) == std::vector<int>{0, 1, 1, 2}); // the camera's board is special
  problem.source.reset();
  problem.platform.links[2].bandwidth_Bps = 1e7; // h1's cable is slower: h1 stands alone
  problem.platform.finalize();
  CHECK(device_symmetry_classes(problem) == std::vector<int>{0, 1, 0, 2});
  problem.platform.links[2].bandwidth_Bps = 1e8;
  problem.platform.hosts[2].memory_bytes  = 1e9; // memory tells devices apart too
  problem.platform.finalize();
  CHECK(device_symmetry_classes(problem) == std::vector<int>{0, 0, 1, 2});
}

TEST_CASE("thread counts of stages sharing a device: the best of every tuple", "[solver][threads]")
{
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> seconds(0.1, 2), fraction(0, 1);
  for (int trial = 0; trial < 500; ++trial) {
    const int cores  = std::uniform_int_distribution<int>(1, 4)(rng);
    const int stages = std::uniform_int_distribution<int>(1, 3)(rng);
    std::vector<double> serial(stages), parallel(stages);
    for (int s = 0; s < stages; ++s) {
      serial[s]   = seconds(rng);
      parallel[s] = fraction(rng);
    }
    auto compute = [&](int s, int t) { return serial[s] * ((1 - parallel[s]) + parallel[s] / t); }; // Amdahl
    const ThreadChoice choice = best_thread_counts(stages, cores, compute);
    double best               = std::numeric_limits<double>::infinity();
    std::vector<int> threads(stages, 1);
    while (true) { // every tuple in 1..cores
      std::vector<double> times(stages);
      for (int s = 0; s < stages; ++s)
        times[s] = compute(s, threads[s]);
      best  = std::min(best, device_load(threads, times, cores));
      int s = 0;
      while (s < stages && threads[s] == cores)
        threads[s++] = 1;
      if (s == stages)
        break;
      ++threads[s];
    }
    INFO("trial " << trial);
    CHECK(choice.load == Approx(best).epsilon(1e-12));
    std::vector<double> chosen(stages);
    for (int s = 0; s < stages; ++s)
      chosen[s] = compute(s, choice.threads[s]);
    CHECK(device_load(choice.threads, chosen, cores) == Approx(choice.load).epsilon(1e-12));
  }
}

// The baselines and then DP's answer, offered in that order, with or without DP's answer as a bar that spares the
// cost model the candidates unable to beat or tie it.
static Incumbent baselines_then_dp(const SearchSpace& space, const Incumbent& dp, bool with_bar)
{
  Incumbent incumbent;
  greedy_baselines(space, incumbent, with_bar ? &dp : nullptr);
  if (dp.found)
    incumbent.offer(dp.placement, dp.prediction, dp.origin);
  return incumbent;
}

TEST_CASE("DP's answer as the baselines' bar changes neither the placement kept nor where it came from",
          "[solver][greedy]")
{
  std::mt19937_64 rng(18);
  int kept_from_baselines = 0, kept_from_dp = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    Problem problem = test::random_problem(rng);
    auto& hosts     = problem.platform.hosts;
    if (hosts.size() >= 2 && trial % 2 == 0) { // a twin device: ties between placements
      const std::string name = hosts[1].name;
      hosts[1]               = hosts[0];
      hosts[1].name          = name;
      problem.platform.finalize();
    }
    INFO("trial " << trial);
    const SearchSpace space(problem);
    Incumbent dp;
    dynamic_programming(space, dp);
    const Incumbent plain  = baselines_then_dp(space, dp, false);
    const Incumbent barred = baselines_then_dp(space, dp, true);
    REQUIRE(plain.found == barred.found);
    if (!plain.found)
      continue;
    CHECK(to_string(barred.placement, problem.platform) == to_string(plain.placement, problem.platform));
    CHECK(barred.origin == plain.origin);
    CHECK(barred.prediction.period_s == plain.prediction.period_s);
    CHECK(barred.prediction.latency_s == plain.prediction.latency_s);
    ++(plain.origin == "dp" ? kept_from_dp : kept_from_baselines);
  }
  CHECK(kept_from_baselines > 100); // both orders of arrival were exercised
  CHECK(kept_from_dp > 20);         // 49 of 1500: the baselines often find the optimum first
}

TEST_CASE("the covering test answers the same from a bounds object long in use as from a fresh one", "[solver][bounds]")
{
  // SuffixBounds remembers the reach of unloaded devices for the last cap asked: asked at random partial placements
  // (reuse loads devices) and at caps that come back, it must answer as a fresh object does.
  std::mt19937_64 rng(19);
  int asked = 0, covered = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Problem problem = test::random_problem(rng, {.max_devices = 4, .max_blocks = 8});
    const SearchSpace space(problem);
    const SuffixBounds used(space);
    const double root = used.root_period();
    for (int probe = 0; probe < 20; ++probe) {
      PartialPlacement partial(space);
      const int stages = std::uniform_int_distribution<int>(0, std::min(space.max_stages, space.blocks) - 1)(rng);
      for (int s = 0; s < stages && partial.next_block() + 1 < space.blocks; ++s) {
        const int slot = std::uniform_int_distribution<int>(0, space.slots - 1)(rng);
        const int last = std::uniform_int_distribution<int>(partial.next_block(), space.blocks - 2)(rng);
        if (slot == partial.last_slot() || (partial.used(slot) && !problem.deployment.device_reuse))
          continue;
        partial.push(slot, last, space.default_threads(slot));
      }
      const double cap = root * std::uniform_int_distribution<int>(1, 4)(rng); // a few caps, each asked again
      INFO("trial " << trial << ", probe " << probe);
      const bool answer = used.can_finish_within(partial, cap);
      CHECK(answer == SuffixBounds(space).can_finish_within(partial, cap));
      ++asked;
      covered += answer;
    }
  }
  CHECK(covered > asked / 10); // both answers are exercised
  CHECK(covered < asked);
}
