// Where the replay and the cost model part ways, and where the model was extended so they do not. Each case pins
// the figure the replay gives under the ideal network model and says why; the README explains them to users.
// Platform and model: tests/data/three.yaml (1 GFLOP per layer, 1 GFLOP/s cores, perfectly parallel layers).

#include "cost/pipeline_schedule.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "solver/search_space.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

using namespace pipesplit;
using namespace pipesplit::sim;
using namespace pipesplit::solver;

namespace {

struct Run {
  Prediction prediction;
  sim::ReplayResult replay;
  ScheduleResult schedule; // the prediction plays it out where activities meet (pipeline_schedule.hpp)
  Prediction reported; // what predict, solve and run report: the closed form or, where it is not exact, the schedule
};

Run run(
    const std::string& placement_text, const std::function<void(Deployment&)>& configure = [](Deployment&) {})
{
  auto loaded = sim::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/three.yaml");
  configure(loaded.problem.deployment);
  Placement placement = parse_placement(placement_text, loaded.problem, "test");
  Run out;
  out.prediction = evaluate_placement(loaded.problem, placement);
  sim::ReplayOptions options;
  options.inferences = 200;
  options.warmup     = 100;
  out.replay         = sim::replay_in_child(loaded.problem, placement, out.prediction, options);
  out.schedule       = play_schedule(loaded.problem, placement, out.prediction, {options.warmup, options.inferences});
  out.reported =
      predict_with_contention(loaded.problem, placement, out.prediction, {options.warmup, options.inferences});
  REQUIRE(out.replay.complete());
  return out;
}

} // namespace

// a:0-1 computes 2 GFLOP on 4 cores (0.5 s), sends 1 MB over an 8 MB/s cable (0.125 s), b:2-3 computes 0.5 s.
// Idle-pipeline latency L = 0.5 + 0.125 + 0.5 = 1.125 s; period 0.5 s.
TEST_CASE("findings: a closed loop with few inputs in flight is paced by Little's law (model extended)", "[findings]")
{
  for (int window : {1, 2, 3}) {
    INFO("window " << window);
    const Run r           = run("a:0-1,b:2-3", [&](Deployment& d) { d.window = window; });
    const double expected = std::max(0.5, 1.125 / window); // 1.125, 0.5625, 0.5
    CHECK(r.prediction.period_s == Approx(expected).epsilon(1e-12));
    CHECK(r.replay.period_s == Approx(expected).epsilon(1e-6));
    CHECK(r.reported.period_s == Approx(r.replay.period_s).epsilon(1e-6));
  }
  // Paced by the window, an input never waits: its latency is the idle one.
  CHECK(run("a:0-1,b:2-3", [](Deployment& d) { d.window = 2; }).replay.latency_p50_s == Approx(1.125).epsilon(1e-6));
}

TEST_CASE("findings: a camera slower than the pipeline sets the pace (model extended)", "[findings]")
{
  const Run r = run("a:0-1,b:2-3", [](Deployment& d) { d.source_rate_hz = 0.25; });
  CHECK(r.prediction.bottleneck.kind == ResourceKind::Source);
  CHECK(r.prediction.period_s == 4);
  CHECK(r.replay.period_s == Approx(4).epsilon(1e-6));
  CHECK(r.replay.latency_p50_s == Approx(1.125).epsilon(1e-6)); // no queueing
  CHECK(r.prediction.steady_latency_s == Approx(1.125));
}

TEST_CASE("findings: a camera faster than the pipeline: drop-oldest keeps latency bounded, blocking does not",
          "[findings]")
{
  // 3 inputs/s into a pipeline that takes 2/s.
  const Run drop = run("a:0-1,b:2-3", [](Deployment& d) {
    d.source_rate_hz = 3;
    d.queue_policy   = QueuePolicy::DropOldest;
  });
  CHECK(drop.replay.period_s == Approx(0.5).epsilon(1e-3));
  CHECK(drop.replay.dropped == drop.replay.emitted - drop.replay.delivered);
  CHECK(drop.replay.measured == 200); // the camera goes on until the measured results are in
  CHECK(drop.replay.dropped * 3 == Approx(drop.replay.emitted).epsilon(0.02)); // a third of the frames
  CHECK(drop.replay.latency_p50_s == Approx(1.625).epsilon(1e-6));             // L plus one period waiting in a's queue
  const Run block = run("a:0-1,b:2-3", [](Deployment& d) { d.source_rate_hz = 3; });
  CHECK(block.replay.period_s == Approx(0.5).epsilon(1e-3));
  CHECK(block.replay.dropped == 0);
  CHECK(block.replay.latency_p50_s > 20 * 1.125); // frames wait longer and longer behind the camera
  CHECK(std::isnan(block.prediction.steady_latency_s));
}

TEST_CASE("findings: two stages on one device whose threads do not fit its cores side by side", "[findings]")
{
  // a hosts stage 0 (1 GFLOP on 3 threads: 1/3 s) and stage 2 (1 GFLOP on 2 threads: 1/2 s), 4 cores: the model's
  // load is max((3/3 + 2/2) / 4, 1/2) = 0.5 s. When both run they need 5 cores and slow each other down; when one
  // waits for input, the other cannot use the idle cores. The replay settles at 7/12 s per input.
  const Run partial = run("a:0@3,b:1-2,a:3@2");
  CHECK(partial.prediction.period_s == Approx(0.5));
  CHECK(partial.replay.period_s == Approx(7.0 / 12).epsilon(1e-6));
  CHECK(partial.schedule.period_s == Approx(7.0 / 12).epsilon(1e-6));
  CHECK(partial.reported.period_s == Approx(7.0 / 12).epsilon(1e-6));
  // With every stage on every core, either one alone keeps the device busy: the model is exact again.
  const Run full = run("a:0,b:1-2,a:3");
  CHECK(full.replay.period_s == Approx(full.prediction.period_s).epsilon(1e-6));
}

TEST_CASE("findings: a shared medium crossed by transfers both ways", "[findings]")
{
  // a -> c -> a -> c: three 1 MB transfers, each crossing the 2 MB/s air twice: 3 s of airtime per input, exact.
  const Run r = run("a:0,c:1,a:2,c:3");
  CHECK(r.prediction.bottleneck.name == "air");
  CHECK(r.replay.period_s == Approx(3).epsilon(1e-6));
}

TEST_CASE("findings: SimGrid shares a FATPIPE link by route latency", "[findings]")
{
  // b -> c (route latency 20 ms) and c -> d (1 ms) both cross the 1 MB/s FATPIPE backbone. The model gives each the
  // full bandwidth (1.02 s per input for the slower). SimGrid 3.32 weights flows by their latency even on FATPIPE
  // links, so the long route gets a fraction of it while the short one is active: 1.97 s per input.
  const Run r = run("a:0,b:1,c:2,d:3");
  CHECK(r.prediction.period_s == Approx(1.02));
  CHECK(r.replay.period_s == Approx(1.97).epsilon(2e-3));
  CHECK(r.schedule.period_s == Approx(r.replay.period_s).epsilon(1e-6)); // the schedule shares it the same way
  CHECK(r.reported.period_s == Approx(r.replay.period_s).epsilon(1e-6));
}
