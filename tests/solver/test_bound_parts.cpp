// The objective search's bounding parts on their own, against the cost model and brute force: the units of work of
// the capacity bounds (work_measures.hpp) and the check that the last stages can finish within a period limit
// (stage_fits.hpp); then the devices objective's root bound against the brute-force optimum.

#include "solver/objective_search.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"
#include "solver/stage_fits.hpp"
#include "solver/work_measures.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

// Two boards on a free link: a one-core one at 10 GFLOP/s and a four-core one at 5 GFLOP/s per core, and a matmul
// block (parallel fraction 0.95) then a fully connected one (0.90) of 1 GFLOP each.
Problem one_and_four_cores()
{
  Problem problem;
  Platform& p = problem.platform;
  p.file      = "hand";
  p.hosts.push_back(HostInfo{.name = "one", .cores = 1, .core_speed_flops = 10e9});
  p.hosts.push_back(HostInfo{.name = "four", .cores = 4, .core_speed_flops = 5e9});
  p.links.push_back(LinkInfo{"l", 1e12, 0, Sharing::FatPipe});
  p.routes.assign(2, std::vector<std::optional<Route>>(2));
  p.routes[0][1] = Route{.links = {0}};
  p.routes[1][0] = Route{.links = {0}};
  p.finalize();
  for (const char* op : {"matmul", "fc"}) {
    Block block;
    block.name = op;
    block.flop = block.flop_by_op[op] = 1e9;
    problem.chain.blocks.push_back(block);
  }
  problem.devices = {0, 1};
  return problem;
}

// A placement's stages with the deployment's thread counts (as the search pushes them).
Placement with_default_threads(const Problem& problem, Placement placement)
{
  for (auto& stage : placement.stages)
    stage.threads = problem.default_threads(stage.device);
  return placement;
}

double device_load(const Prediction& prediction, const std::string& host)
{
  for (const auto& load : prediction.loads)
    if (load.kind == ResourceKind::Device && load.name == host)
      return load.load_s;
  return 0;
}

// Every completion of `partial` that the search may build (reuse, the stage limit, another device than the last
// stage's), with the deployment's thread counts; `visit` gets the completed partial and its first added stage.
void every_completion(const SearchSpace& space, PartialPlacement& partial, int first_slot, int first_last,
                      const std::function<void(PartialPlacement&, int, int)>& visit)
{
  if (partial.complete()) {
    visit(partial, first_slot, first_last);
    return;
  }
  if (partial.stage_count() == space.max_stages)
    return;
  const bool reuse = space.problem.deployment.device_reuse;
  for (int slot = 0; slot < space.slots; ++slot) {
    if (slot == partial.last_slot() || (!reuse && partial.used(slot)))
      continue;
    for (int last = partial.next_block(); last < space.blocks; ++last) {
      if (!partial.push(slot, last, space.default_threads(slot)))
        continue;
      every_completion(space, partial, first_slot < 0 ? slot : first_slot, first_slot < 0 ? last : first_last, visit);
      partial.pop();
    }
  }
}

} // namespace

TEST_CASE("work measures by hand: the least load, and each board's own loads once", "[solver][bounds]")
{
  const Problem problem = one_and_four_cores();
  const SearchSpace space(problem);
  const auto least = least_loads(space);
  // The four-core board: 1 / (5e9 x Amdahl's speed-up on 4 cores), at 4 threads over 4 cores.
  const double matmul = 1 / (5e9 / (0.05 + 0.95 / 4)) * 1e9, fc = 1 / (5e9 / (0.10 + 0.90 / 4)) * 1e9;
  CHECK(least[0][0] == Approx(0.1));
  CHECK(least[0][1] == Approx(0.1));
  CHECK(least[1][0] == Approx(matmul));
  CHECK(least[1][1] == Approx(fc));
  const auto measures = work_measures(space);
  REQUIRE(measures.size() == 2); // the least loads are the four-core board's own: once
  CHECK(measures[0].rest(0) == Approx(matmul + fc));
  CHECK(measures[0].ratio(1) == Approx(1));
  CHECK(measures[0].ratio(0) == Approx(fc / 0.1)); // the one-core board at its best: the fc block
  CHECK(measures[0].by_ratio() == std::vector<int>{1, 0});
  CHECK(measures[1].ratio(0) == Approx(1));
  CHECK(measures[1].ratio(1) == Approx(0.1 / matmul));      // the four-core board at its best: the matmul block
  CHECK(measures[1].whole_blocks(0, 0.15) == Approx(0.1));  // one block of 0.1 units, not 0.15
  CHECK(measures[1].whole_blocks(0, 0.25) == Approx(0.25)); // room for the whole rest: not rounded
}

// The inequality every capacity bound rests on, against the cost model: the blocks a device runs weigh at most its
// ratio times its load (also rounded to whole blocks), in every measure, whatever the thread counts the deployment
// sets or the search picks, with and without reuse.
TEST_CASE("work measures: a device's blocks never weigh more than its ratio times its load",
          "[solver][bounds][property]")
{
  std::mt19937_64 rng(1611);
  int checked = 0, tight = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const Problem problem = test::random_problem(rng, {4, 6, false});
    const SearchSpace space(problem);
    const auto measures         = work_measures(space);
    Placement placement         = with_default_threads(problem, test::random_placement(rng, problem));
    const Prediction prediction = evaluate_placement(problem, placement);
    INFO("trial " << trial << ": " << to_string(placement, problem.platform));
    for (int slot = 0; slot < space.slots; ++slot) {
      const int device  = space.host(slot);
      const double load = device_load(prediction, problem.host(device).name);
      for (const WorkMeasure& measure : measures) {
        double units = 0;
        for (const auto& stage : placement.stages)
          for (int b = stage.first; b <= stage.last && stage.device == device; ++b)
            units += measure.unit()[b];
        if (units == 0)
          continue;
        const double capacity = measure.ratio(slot) * load;
        CHECK(units <= capacity * (1 + 1e-9));
        CHECK(measure.whole_blocks(0, capacity) >= units * (1 - 1e-9));
        ++checked;
        tight += units >= capacity * (1 - 1e-6);
      }
    }
  }
  INFO(checked << " device loads checked, " << tight << " tight");
  CHECK(checked > 1000);
  CHECK(tight > 100); // the bound is reached: a device alone on blocks of its best kind
}

// The check and the windows the search prunes with, against brute force: from random partial placements, with a
// period limit around the best completion's period, a completion whose period (the cost model's, transfers and all)
// is within the limit and takes at most the allowed new devices is never refused, and its next stage ends within the
// window [shortest_end, reach].
TEST_CASE("the last stages' check never refuses a completion within the period limit", "[solver][bounds][property]")
{
  std::mt19937_64 rng(1612);
  int feasible = 0, refused = 0, windows = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const Problem problem = test::random_problem(rng, {4, 6, true});
    const SearchSpace space(problem);
    const StageFits fits(space);
    PartialPlacement partial(space);
    const Placement prefix = test::random_placement(rng, problem);
    const int keep         = std::uniform_int_distribution<int>(0, static_cast<int>(prefix.stages.size()) - 1)(rng);
    for (int s = 0; s < keep; ++s) {
      const Stage& stage = prefix.stages[s];
      const int slot     = static_cast<int>(std::find(problem.devices.begin(), problem.devices.end(), stage.device) -
                                        problem.devices.begin());
      partial.push(slot, stage.last, space.default_threads(slot));
    }
    std::vector<std::pair<double, Placement>> completions; // period, placement
    std::vector<std::tuple<int, int, int>> firsts;         // first slot, its last block, new devices
    std::set<int> used_before;
    for (int slot = 0; slot < space.slots; ++slot)
      if (partial.used(slot))
        used_before.insert(slot);
    every_completion(space, partial, -1, -1, [&](PartialPlacement& done, int slot, int last) {
      Placement placement = done.placement();
      const Prediction p  = evaluate_placement(problem, placement);
      if (!p.violations.empty())
        return;
      int fresh = 0;
      for (int s = 0; s < space.slots; ++s)
        fresh += done.used(s) && !used_before.count(s);
      completions.emplace_back(p.period_s, placement);
      firsts.emplace_back(slot, last, fresh);
    });
    if (completions.empty())
      continue;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& c : completions)
      best = std::min(best, c.first);
    const double limit    = best * std::uniform_real_distribution<double>(0.9, 1.1)(rng);
    const int new_allowed = std::uniform_int_distribution<int>(0, space.slots)(rng);
    bool any_within       = false;
    INFO("trial " << trial << ", limit " << limit << ", new devices allowed " << new_allowed);
    for (size_t i = 0; i < completions.size(); ++i) {
      const auto [slot, last, fresh] = firsts[i];
      if (completions[i].first > limit || fresh > new_allowed)
        continue;
      any_within = true;
      INFO(to_string(completions[i].second, problem.platform));
      CHECK(last <= fits.reach(partial, slot, partial.next_block(), limit));
      CHECK(last >= fits.shortest_end(partial, slot, false, limit));
      ++windows;
    }
    const bool completes = fits.completes(partial, limit, new_allowed);
    if (any_within) {
      ++feasible;
      CHECK(completes);
    }
    refused += !completes;
  }
  INFO(feasible << " with a completion within the limit, " << refused << " refused, " << windows << " windows");
  CHECK(feasible > 200);
  CHECK(refused > 100); // the check prunes
}

// With the measures, the stages' check and the windows, the devices objective's lower bound stays one: stopped after
// a few nodes with a placement found, it is never above the brute-force fewest devices, and run to the end the
// search finds them (threads and reuse random, a rate that often needs several devices). Most searches prove the
// figure within the node limit (its first pass): few stop with a bound below it.
TEST_CASE("the devices objective's bound stopped early is never above the brute-force optimum",
          "[solver][objective][property]")
{
  std::mt19937_64 rng(1613);
  int stopped = 0, several = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    const Problem problem = test::random_problem(rng, {5, 7, true});
    const SearchSpace space(problem);
    double fastest = 0, best = std::numeric_limits<double>::infinity();
    std::vector<std::pair<double, int>> all; // period, devices
    PartialPlacement partial(space);
    every_completion(space, partial, -1, -1, [&](PartialPlacement& done, int, int) {
      Placement placement = done.placement();
      const Prediction p  = evaluate_placement(problem, placement);
      if (!p.violations.empty())
        return;
      std::set<int> devices;
      for (const auto& stage : placement.stages)
        devices.insert(stage.device);
      all.emplace_back(p.period_s, static_cast<int>(devices.size()));
      if (devices.size() == 1)
        fastest = std::max(fastest, 1 / p.period_s);
    });
    PlanRequest request;
    request.objective               = Objective::Devices;
    request.constraints.min_rate_hz = fastest * std::uniform_real_distribution<double>(1.0, 2.0)(rng);
    request.node_limit              = std::uniform_int_distribution<long long>(1, 30)(rng);
    for (const auto& [period, devices] : all)
      if (period * request.constraints.min_rate_hz <= 1 + 1e-9)
        best = std::min<double>(best, devices);
    const PlanResult result = plan(problem, request);
    INFO("trial " << trial << ": " << request.constraints.describe());
    if (std::isinf(best) || !result.feasible)
      continue;
    stopped += !result.optimal;
    several += best > 1;
    CHECK(result.lower_bound <= best);
    CHECK(result.figures.devices >= best);
    if (result.optimal)
      CHECK(result.figures.devices == best);
  }
  INFO(stopped << " stopped with a placement found, " << several << " needing several devices");
  CHECK(stopped > 20);
  CHECK(several > 80);
}
