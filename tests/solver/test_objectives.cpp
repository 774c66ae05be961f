// The planning objectives (objective_search.hpp) against brute force: every placement scored by the cost model and
// the energy model, filtered by the constraints and ranked by the documented tie-breaks.

#include "solver/objective_search.hpp"
#include "solver/search_space.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

struct Scored {
  Placement placement;
  Figures figures;
};

// Every placement of the problem (stage boundaries and devices; thread counts as evaluate_placement sets them),
// written independently of the search.
std::vector<Scored> every_placement(const Problem& problem)
{
  std::vector<Scored> out;
  const int blocks   = problem.chain.size();
  const int max_cuts = problem.deployment.max_cuts;
  Placement placement;
  std::map<int, int> uses;
  std::function<void(int)> extend = [&](int first) {
    if (first == blocks) {
      Placement complete = placement;
      Prediction p       = evaluate_placement(problem, complete);
      if (p.violations.empty())
        out.push_back({complete, figures_of(problem, complete, p, predict_energy(problem, complete, p))});
      return;
    }
    if (max_cuts >= 0 && placement.cuts() >= max_cuts && !placement.stages.empty())
      return;
    for (int device : problem.devices) {
      if ((!placement.stages.empty() && placement.stages.back().device == device) ||
          (!problem.deployment.device_reuse && uses[device] > 0))
        continue;
      ++uses[device];
      for (int last = first; last < blocks; ++last) {
        placement.stages.push_back(Stage{device, first, last, problem.default_threads(device)});
        extend(last + 1);
        placement.stages.pop_back();
      }
      --uses[device];
    }
  };
  extend(0);
  return out;
}

std::optional<Scored> brute_best(const std::vector<Scored>& all, Objective objective, const Constraints& constraints)
{
  std::optional<Scored> best;
  for (const auto& s : all)
    if (meets(constraints, s.figures) && (!best || preferred(objective, s.figures, best->figures)))
      best = s;
  return best;
}

// Constraints that bind now and then: the figures of a random placement, sometimes tightened.
Constraints random_constraints(std::mt19937_64& rng, const std::vector<Scored>& all, int kind)
{
  Constraints c;
  if (all.empty())
    return c;
  const Figures& f     = all[std::uniform_int_distribution<size_t>(0, all.size() - 1)(rng)].figures;
  const double squeeze = std::uniform_real_distribution<double>(0.7, 1.1)(rng);
  if (kind == 1 || kind == 4)
    c.min_rate_hz = 1 / f.period_s / squeeze;
  if (kind == 2 || kind == 4)
    c.max_latency_s = f.latency_s * squeeze;
  if (kind == 3 || kind == 4)
    c.max_energy_J = f.energy_J * squeeze;
  return c;
}

} // namespace

TEST_CASE("every objective under every constraint equals brute force on 1000 random small instances each",
          "[solver][objective][property]")
{
  const char* kinds[] = {"no constraint", "min rate", "max latency", "max energy", "all three"};
  for (Objective objective : all_objectives())
    for (int kind = 0; kind < 5; ++kind) {
      std::mt19937_64 rng(1600 + 10 * static_cast<int>(objective) + kind);
      int feasible = 0, infeasible = 0;
      for (int trial = 0; trial < 1000; ++trial) {
        Problem problem = test::random_problem(rng, {3, 4, true});
        const auto all  = every_placement(problem);
        PlanRequest request;
        request.objective       = objective;
        request.constraints     = random_constraints(rng, all, kind);
        const auto expected     = brute_best(all, objective, request.constraints);
        const PlanResult result = plan(problem, request);
        INFO(to_string(objective) << ", " << kinds[kind] << ", trial " << trial << ": "
                                  << request.constraints.describe());
        REQUIRE(result.feasible == expected.has_value());
        CHECK(result.optimal);
        if (!expected) {
          ++infeasible;
          continue;
        }
        ++feasible;
        CHECK(result.figures.text == expected->figures.text);
        CHECK(result.gap == 0);
        CHECK(result.lower_bound == objective_value(objective, result.figures));
      }
      INFO(to_string(objective) << ", " << kinds[kind] << ": " << feasible << " feasible, " << infeasible
                                << " infeasible");
      CHECK(feasible > 300);
      if (kind > 0)
        CHECK(infeasible > 20);
    }
}

namespace {

struct HandDevice {
  const char* name;
  double flops; // one core
  double cost;
};

// One-core devices joined by a link so fast that transfers cost nothing, and `blocks` blocks of 1 GFLOP each.
Problem free_transfers(const std::vector<HandDevice>& devices, int blocks)
{
  Problem problem;
  Platform& p = problem.platform;
  p.file      = "hand";
  for (const auto& d : devices) {
    p.hosts.push_back(HostInfo{.name = d.name, .cores = 1, .core_speed_flops = d.flops});
    p.hosts.back().cost = d.cost;
  }
  const int n = static_cast<int>(devices.size());
  p.links.push_back(LinkInfo{"l", 1e12, 0, Sharing::FatPipe});
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      if (a != b)
        p.routes[a][b] = Route{.links = {0}};
  p.finalize();
  for (int b = 0; b < blocks; ++b) {
    Block block;
    block.name = "b" + std::to_string(b);
    block.flop = block.flop_by_op["fc"] = 1e9;
    problem.chain.blocks.push_back(block);
  }
  return problem;
}

} // namespace

TEST_CASE("objectives: tie-breaks and headroom by hand", "[solver][objective]")
{
  // Two identical devices and one 4x faster, a chain of two equal blocks; cut transfers cost nothing.
  Problem problem = free_transfers({{"slow0", 1e9, 10}, {"slow1", 1e9, 10}, {"fast", 4e9, 30}}, 2);
  problem.devices = {0, 1, 2};
  PlanRequest request;
  request.objective = Objective::Devices;
  // 0.5 s per input on the fast device alone: 2 Hz; two slow devices: 1 s per stage.
  request.constraints.min_rate_hz = 1;
  PlanResult r                    = plan(problem, request);
  CHECK(r.figures.text == "fast:0-1@1"); // one device; of those, the fastest
  CHECK(r.headroom_ips == Approx(2));
  request.objective = Objective::Cost; // slow0 + slow1 = 20 < 30
  r                 = plan(problem, request);
  CHECK(r.figures.text == "slow0:0@1,slow1:1@1");
  CHECK(r.figures.cost == 20);
  request.constraints.min_rate_hz = 3; // nothing sustains 3 Hz: fast alone 2 Hz, fast + slow 1 Hz
  CHECK_FALSE(plan(problem, request).feasible);
}

// Devices take whole blocks (objective_search.cpp, whole_blocks()): two identical devices, three blocks of 1 s each,
// 1.6 s per input. The work fits their capacity (3 s <= 2 x 1.6 s) but no device takes two blocks (2 s > 1.6 s):
// the bound proves at the root, without a child, that no placement sustains the rate. With a third device, three.
TEST_CASE("the capacity bound respects whole blocks: infeasibility proven at the root", "[solver][objective]")
{
  Problem problem                 = free_transfers({{"a", 1e9, 0}, {"b", 1e9, 0}, {"c", 1e9, 0}}, 3);
  problem.devices                 = {0, 1};
  problem.deployment.device_reuse = true;
  PlanRequest request;
  request.objective               = Objective::Devices;
  request.constraints.min_rate_hz = 1 / 1.6;
  PlanResult r                    = plan(problem, request);
  CHECK_FALSE(r.feasible);
  CHECK(r.optimal);
  CHECK(r.nodes == 2); // the root of each pass (the fluid bound, work only: 6 nodes)
  problem.devices = {0, 1, 2};
  r               = plan(problem, request);
  CHECK(r.figures.text == "a:0@1,b:1@1,c:2@1");
  CHECK(r.optimal);
}

// The period bound at the root (with whole blocks) is a lower bound: stopped early, the reported lower bound on the
// period is never above the brute-force optimum, and with it the gap is never negative.
TEST_CASE("the root period bound is never above the brute-force optimum", "[solver][objective][property]")
{
  std::mt19937_64 rng(1607);
  int stopped = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    Problem problem = test::random_problem(rng, {5, 7, false});
    const auto all  = every_placement(problem);
    const auto best = brute_best(all, Objective::Throughput, {});
    if (!best)
      continue;
    PlanRequest request;
    request.node_limit      = std::uniform_int_distribution<long long>(2, 30)(rng);
    const PlanResult result = plan(problem, request);
    INFO("trial " << trial);
    if (!result.feasible || result.optimal)
      continue;
    ++stopped;
    CHECK(result.lower_bound <= best->figures.period_s * (1 + 1e-9));
    CHECK(result.gap >= 0);
  }
  CHECK(stopped > 100);
}

TEST_CASE("the Pareto front equals the brute-force non-dominated set on random instances", "[solver][pareto][property]")
{
  std::mt19937_64 rng(1603);
  const std::vector<Axis> every = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy, Axis::Cost};
  size_t largest                = 0;
  int with_constraints          = 0;
  for (int trial = 0; trial < 600; ++trial) {
    Problem problem = test::random_problem(rng, {3, 4, true});
    const auto all  = every_placement(problem);
    PlanRequest request;
    request.front_axes = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy};
    if (trial % 2) { // two or three random axes
      request.front_axes = every;
      std::shuffle(request.front_axes.begin(), request.front_axes.end(), rng);
      request.front_axes.resize(std::uniform_int_distribution<size_t>(2, 3)(rng));
    }
    if (trial % 3 == 0) {
      request.constraints = random_constraints(rng, all, 4);
      ++with_constraints;
    }
    std::set<std::string> expected;
    for (const auto& a : all) {
      if (!meets(request.constraints, a.figures))
        continue;
      bool dominated = false;
      for (const auto& b : all)
        dominated =
            dominated || (meets(request.constraints, b.figures) && dominates(request.front_axes, b.figures, a.figures));
      if (!dominated)
        expected.insert(a.figures.text);
    }
    const PlanResult result = plan(problem, request);
    std::set<std::string> found;
    for (const auto& point : result.front)
      found.insert(point.figures.text);
    INFO("trial " << trial);
    CHECK(result.optimal);
    CHECK(found == expected);
    largest = std::max(largest, expected.size());
  }
  INFO("largest front " << largest);
  CHECK(largest >= 5);
  CHECK(with_constraints == 200);
}

TEST_CASE("energy and cost objectives choosing pstates equal brute force over placements and pstates",
          "[solver][objective][pstates][property]")
{
  std::mt19937_64 rng(1604);
  int several = 0, slower_chosen = 0;
  for (int trial = 0; trial < 600; ++trial) {
    Problem problem           = test::random_problem(rng, {3, 4, true});
    const Objective objective = trial % 2 ? Objective::Energy : Objective::Cost;
    PlanRequest request;
    request.objective      = objective;
    request.choose_pstates = true;
    if (trial % 3 == 0)
      request.constraints = random_constraints(rng, every_placement(problem), 4);
    // Brute force: every assignment in lexicographic order over problem.devices, every placement at it.
    std::optional<Scored> best;
    std::vector<int> best_pstates, pstates;
    for (const auto& host : problem.platform.hosts)
      pstates.push_back(host.pstate);
    std::function<void(size_t)> assign = [&](size_t i) {
      if (i == problem.devices.size()) {
        const auto found = brute_best(every_placement(at_pstates(problem, pstates)), objective, request.constraints);
        if (found && (!best || preferred(objective, found->figures, best->figures))) {
          best         = found;
          best_pstates = pstates;
        }
        return;
      }
      const int device = problem.devices[i];
      for (size_t p = 0; p < problem.host(device).pstate_speeds.size(); ++p) {
        pstates[device] = static_cast<int>(p);
        assign(i + 1);
      }
    };
    assign(0);
    const PlanResult result = plan(problem, request);
    INFO("trial " << trial << " " << to_string(objective));
    REQUIRE(result.feasible == best.has_value());
    CHECK(result.optimal);
    if (!best)
      continue;
    CHECK(result.figures.text == best->figures.text);
    CHECK(result.pstates == best_pstates);
    CHECK(result.figures.energy_J == Approx(best->figures.energy_J));
    for (int device : problem.devices)
      if (problem.host(device).pstate_speeds.size() > 1) {
        ++several;
        slower_chosen += best_pstates[device] > 0;
      }
  }
  INFO(several << " devices with several pstates, " << slower_chosen << " at a slower one");
  CHECK(several > 300);
  CHECK(slower_chosen > 50);
}

// The devices objective's bounds at work (objective_search.cpp): the capacity of the stages still allowed, the
// period within the proven fewest devices and the latency at the incumbent's period. Larger instances than above
// (up to 5 devices and 7 blocks, random reuse and cut limits), a rate that needs several devices.
TEST_CASE("the fewest devices and their tie-breaks equal brute force on larger instances",
          "[solver][objective][property]")
{
  std::mt19937_64 rng(1605);
  int several = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    Problem problem = test::random_problem(rng, {5, 7, true});
    const auto all  = every_placement(problem);
    if (all.empty())
      continue;
    double fastest = 0; // the best single device's rate, then a multiple of it
    for (const auto& s : all)
      if (s.figures.devices == 1)
        fastest = std::max(fastest, 1 / s.figures.period_s);
    PlanRequest request;
    request.objective               = Objective::Devices;
    request.constraints.min_rate_hz = fastest * std::uniform_real_distribution<double>(1.0, 2.0)(rng);
    const auto expected             = brute_best(all, Objective::Devices, request.constraints);
    const PlanResult result         = plan(problem, request);
    INFO("trial " << trial << ": " << request.constraints.describe());
    REQUIRE(result.feasible == expected.has_value());
    CHECK(result.optimal);
    if (!expected)
      continue;
    CHECK(result.figures.text == expected->figures.text);
    several += expected->figures.devices > 1;
  }
  INFO(several << " answers with several devices");
  CHECK(several > 80);
}

// Stopped by a node limit, every point of the front carries a bound that the true front respects: a true front
// point that dominates it lies within its bounds (and the point is not marked proven), and every placement the
// search did not score lies at or beyond the unexplored bound on each axis.
TEST_CASE("a Pareto front stopped early bounds how far the true front can dominate it", "[solver][pareto][property]")
{
  std::mt19937_64 rng(1606);
  int stopped = 0, dominated_points = 0, unproven = 0, missed = 0;
  for (int trial = 0; trial < 600; ++trial) {
    Problem problem = test::random_problem(rng, {3, 5, true});
    const auto all  = every_placement(problem);
    PlanRequest request;
    request.front_axes      = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy};
    request.node_limit      = std::uniform_int_distribution<long long>(2, 9)(rng);
    const PlanResult result = plan(problem, request);
    INFO("trial " << trial);
    if (result.optimal) {
      for (const auto& point : result.front)
        CHECK(point.proven);
      continue;
    }
    ++stopped;
    REQUIRE(result.unexplored_bound.size() == request.front_axes.size());
    std::set<std::string> found;
    for (const auto& point : result.front) {
      found.insert(point.figures.text);
      unproven += !point.proven;
      for (const auto& other : all) {
        if (!dominates(request.front_axes, other.figures, point.figures))
          continue;
        ++dominated_points;
        CHECK_FALSE(point.proven);
        for (size_t a = 0; a < request.front_axes.size(); ++a)
          CHECK(axis_value(request.front_axes[a], other.figures) >= point.bound[a] * (1 - 1e-9));
      }
    }
    // A point of the true front the search did not find lay in a subtree the limit left: beyond the bound.
    for (const auto& other : all) {
      bool on_true_front = true;
      for (const auto& third : all)
        on_true_front = on_true_front && !dominates(request.front_axes, third.figures, other.figures);
      if (!on_true_front || found.count(other.figures.text))
        continue;
      ++missed;
      for (size_t a = 0; a < request.front_axes.size(); ++a)
        CHECK(axis_value(request.front_axes[a], other.figures) >= result.unexplored_bound[a] * (1 - 1e-9));
    }
  }
  INFO(stopped << " stopped, " << dominated_points << " front points dominated by the true front, " << unproven
               << " not proven, " << missed << " true front points missed");
  CHECK(stopped > 150);
  CHECK(dominated_points > 100);
  CHECK(missed > 20);
  CHECK(unproven >= dominated_points / 10);
}
