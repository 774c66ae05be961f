// The schedule played out without SimGrid (pipeline_schedule.hpp): its sharing rule against hand-derived rates, the
// whole schedule against the SimGrid replay, and the lv08 prediction on the shipped scenarios.

#include "cost/max_min_sharing.hpp"
#include "cost/pipeline_schedule.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "solver/contention_solver.hpp"
#include "solver/search_space.hpp"
#include "solver/solver.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <limits>

using namespace pipesplit;
using namespace pipesplit::sim;
using namespace pipesplit::solver;

static const std::string source_dir = PIPESPLIT_SOURCE_DIR;

TEST_CASE("max-min sharing: fair shares, shares by penalty, bounds, several links, FATPIPE", "[schedule]")
{
  using V                        = SharingVariable;
  const SharingConstraint link10 = {10, false};
  // Two flows on one link of 10: 5 each.
  auto rates = max_min_rates({link10}, {V{1, -1, {{0, 1}}}, V{1, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(5));
  CHECK(rates[1] == Approx(5));
  // Penalties 1 and 3 (route latencies): rates in proportion 3 : 1.
  rates = max_min_rates({link10}, {V{1, -1, {{0, 1}}}, V{3, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(7.5));
  CHECK(rates[1] == Approx(2.5));
  // A bound below the fair share leaves the rest to the other flow.
  rates = max_min_rates({link10}, {V{1, 2, {{0, 1}}}, V{1, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(2));
  CHECK(rates[1] == Approx(8));
  // A flow crossing a WiFi cell twice with 5% of acknowledgements each way (weight 2.1) next to one crossing once:
  // both at the level x with 2.1 x + x = 10.
  rates = max_min_rates({link10}, {V{1, -1, {{0, 2.1}}}, V{1, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(10 / 3.1));
  CHECK(rates[1] == Approx(10 / 3.1));
  // Links A (1) and B (2): flow 0 crosses both, flow 1 only A, flow 2 only B. A saturates first at 0.5 each; flow 2
  // then takes what B has left, 1.5.
  rates = max_min_rates({{1, false}, {2, false}}, {V{1, -1, {{0, 1}, {1, 1}}}, V{1, -1, {{0, 1}}}, V{1, -1, {{1, 1}}}});
  CHECK(rates[0] == Approx(0.5));
  CHECK(rates[1] == Approx(0.5));
  CHECK(rates[2] == Approx(1.5));
  // FATPIPE of 10: equal penalties, the whole capacity each; penalties 1 and 20, as SimGrid 3.32 does it: the level
  // is 10 / max(1/1, 1/20) = 10, the first gets 10 and the second 10 / 20.
  rates = max_min_rates({{10, true}}, {V{1, -1, {{0, 1}}}, V{1, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(10));
  CHECK(rates[1] == Approx(10));
  rates = max_min_rates({{10, true}}, {V{1, -1, {{0, 1}}}, V{20, -1, {{0, 1}}}});
  CHECK(rates[0] == Approx(10));
  CHECK(rates[1] == Approx(0.5));
  // Nothing used, no bound: unlimited.
  CHECK(max_min_rates({link10}, {V{1, -1, {}}})[0] == std::numeric_limits<double>::infinity());
}

// The sanitizer build runs each replay about ten times slower: it checks memory on a third of the same instances.
#if defined(__SANITIZE_ADDRESS__)
static constexpr int random_schedules = 100;
#else
static constexpr int random_schedules = 300;
#endif

TEST_CASE("the schedule reproduces the SimGrid replay on random placements, ideal and lv08", "[schedule][replay]")
{
  // Random platforms (dedicated links, SPLITDUPLEX stars, a shared medium crossed twice, FATPIPE backbones), devices
  // hosting several stages, thread counts, closed loops with and without a window, cameras with blocking or
  // drop-oldest queues.
  const auto directory = std::filesystem::temp_directory_path() / "pipesplit_schedule_test";
  std::filesystem::create_directories(directory);
  for (NetworkModel network : {NetworkModel::Ideal, NetworkModel::Lv08}) {
    std::mt19937_64 rng(777);
    int beyond_closed_form = 0, drop_oldest = 0;
    for (int trial = 0; trial < random_schedules; ++trial) {
      Problem problem = test::random_problem(rng, {4, 6});
      test::write_platform_file(problem.platform, (directory / fmt::format("p{}.xml", trial)).string());
      for (auto& host : problem.platform.hosts)
        host.memory_bytes = 0; // memory does not change timing
      problem.deployment.network = network;
      Placement placement        = test::random_placement(rng, problem);
      const auto prediction      = evaluate_placement(problem, placement);
      // Drop-oldest cameras, where the camera emits fewer than 10 frames per result (the run goes on until the
      // measured results are in: a 100 Hz camera in front of a 10 s pipeline is a long run).
      const double frames_per_result = problem.deployment.source_rate_hz * prediction.period_s;
      if (trial % 2 == 1 && problem.deployment.source_rate_hz > 0 && frames_per_result < 10) {
        problem.deployment.queue_policy = QueuePolicy::DropOldest;
        ++drop_oldest;
      }
      sim::ReplayOptions options;
      options.network     = network;
      options.warmup      = 100;
      options.inferences  = 200;
      const auto replay   = sim::replay_in_child(problem, placement, prediction, options);
      const auto schedule = play_schedule(problem, placement, prediction, {100, 200});
      INFO(to_string(network) << " trial " << trial << ": " << to_string(placement, problem.platform));
      CHECK(schedule.emitted == replay.emitted);
      CHECK(schedule.delivered == replay.delivered);
      CHECK(schedule.dropped == replay.dropped);
      CHECK(schedule.period_s == Approx(replay.period_s).epsilon(1e-4));
      CHECK(schedule.first_latency_s == Approx(replay.first_latency_s).epsilon(1e-4));
      CHECK(schedule.latency_p50_s == Approx(replay.latency_p50_s).epsilon(1e-4));
      beyond_closed_form += schedule.period_s > prediction.period_s * (1 + 1e-3);
    }
    INFO(to_string(network) << ": " << beyond_closed_form << " periods above the closed form, " << drop_oldest
                            << " drop-oldest cameras");
    CHECK(beyond_closed_form >= 5 * random_schedules / 300); // the cases where the closed form is a lower bound
    CHECK(drop_oldest > 10 * random_schedules / 300);
  }
}

TEST_CASE("lv08: the prediction is within 2% of the simulation on every shipped scenario", "[schedule][replay][lv08]")
{
  for (const auto& entry : std::filesystem::directory_iterator(source_dir + "/scenarios")) {
    INFO(entry.path());
    auto loaded                       = sim::load_scenario(entry.path().string());
    loaded.problem.deployment.network = NetworkModel::Lv08;
    const SolveResult solved          = solve(loaded.problem, SolveOptions{});
    REQUIRE(solved.feasible);
    sim::ReplayOptions options;
    options.network       = NetworkModel::Lv08;
    const auto prediction = predict_with_contention(loaded.problem, solved.placement, solved.prediction,
                                                    {options.warmup, options.inferences});
    const auto replay     = sim::replay_in_child(loaded.problem, solved.placement, prediction, options);
    CHECK(replay.period_s == Approx(prediction.period_s).epsilon(0.02));
    CHECK(replay.first_latency_s == Approx(prediction.latency_s).epsilon(0.02));
    CHECK(replay.latency_p50_s == Approx(prediction.steady_latency_s).epsilon(0.02));
  }
}

TEST_CASE("lv08 on the WiFi cell: the closed form misses the phase, the schedule does not", "[schedule][lv08]")
{
  // The plan is paced by pi0's sender: 26 ms of latency, then 69.5 ms alone on the air. pi1's transfer to pi2 starts
  // while pi0's next one is on the air, and they share it: pi0's transfer takes about 8 ms longer.
  auto loaded                       = sim::load_scenario(source_dir + "/scenarios/resnet18_pi4_wifi.yaml");
  loaded.problem.deployment.network = NetworkModel::Lv08;
  const SolveResult solved          = solve(loaded.problem, SolveOptions{});
  CHECK(solved.prediction.bottleneck.kind == ResourceKind::Transfer);
  CHECK(solved.prediction.period_s == Approx(0.0955).epsilon(2e-3));
  const auto prediction = predict_with_contention(loaded.problem, solved.placement, solved.prediction);
  CHECK(prediction.bottleneck.kind == ResourceKind::Schedule);
  CHECK(prediction.period_s == Approx(0.104).epsilon(5e-3));
}

TEST_CASE("lv08: the TCP-gamma cap is scaled by the bandwidth factor too, as SimGrid does", "[schedule][lv08]")
{
  // tiny_one.yaml's cable at 100 MB/s and 0.5 s: the cap 4 MiB / (2 x 0.5 s) binds, and a lone input moves at
  // 0.97 x 4 MiB/s.
  const auto directory = std::filesystem::temp_directory_path() / "pipesplit_gamma_test";
  std::filesystem::create_directories(directory);
  std::ofstream(directory / "platform.xml")
      << "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
         "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
         "<host id=\"a\" speed=\"1Gf\" core=\"2\"/><host id=\"b\" speed=\"2Gf\" core=\"2\"/>\n"
         "<link id=\"cable\" bandwidth=\"100MBps\" latency=\"500ms\" sharing_policy=\"SPLITDUPLEX\"/>\n"
         "<route src=\"a\" dst=\"b\"><link_ctn id=\"cable\" direction=\"UP\"/></route>\n"
         "</zone></platform>\n";
  std::ofstream(directory / "scenario.yaml")
      << "name: gamma\nplatform: platform.xml\nmodel: " << source_dir << "/tests/data/tiny_model.yaml\n"
      << "chain: layers\ndevices: [a, b]\nsource: a\nsink: a\n"
      << "deployment: {threads: 2, queue_depth: 1, window: 1, network_model: lv08, parallel_fraction: {fc: 1.0}}\n";
  auto loaded           = sim::load_scenario((directory / "scenario.yaml").string());
  Placement placement   = parse_placement("a:0,b:1-2", loaded.problem, "test");
  const auto prediction = evaluate_placement(loaded.problem, placement);
  const double rate     = 0.97 * 4194304 / (2 * 0.5);
  CHECK(prediction.latency_s == Approx(1 + 13.01 * 0.5 + 2e6 / rate + 1.25 + 13.01 * 0.5 + 1e4 / rate));
  sim::ReplayOptions options;
  options.network    = NetworkModel::Lv08;
  options.inferences = 2;
  options.warmup     = 0;
  const auto replay  = sim::replay_in_child(loaded.problem, placement, prediction, options);
  CHECK(replay.first_latency_s == Approx(prediction.latency_s).epsilon(1e-9));
}

TEST_CASE("the contention-aware solver says when it rated only some of the plans", "[solver][schedule]")
{
  auto loaded = sim::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_wifi.yaml");
  loaded.problem.deployment.network = NetworkModel::Lv08;
  const SolveResult all             = solve_with_contention(loaded.problem, SolveOptions{});
  CHECK(all.optimal);
  CHECK(all.prediction.period_s == Approx(0.104).epsilon(5e-3));
  const SolveResult some = solve_with_contention(loaded.problem, SolveOptions{}, {ScheduleOptions{}, 1});
  CHECK_FALSE(some.optimal);
  CHECK(some.note.find("not proven optimal") != std::string::npos);
  CHECK(some.prediction.period_s >= all.prediction.period_s * (1 - 1e-9));
}
