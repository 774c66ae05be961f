// closed_form_is_exact() against the schedule it stands for: wherever it says the closed form is exact, the schedule
// played out input by input gives the closed form's period and first latency, on thousands of random instances of
// every network shape; and each reason it gives for playing the schedule out, by hand.

#include "cost/closed_form_exactness.hpp"
#include "cost/pipeline_schedule.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::cost;

TEST_CASE("where the closed form is said exact, the schedule equals it on 3000 random instances", "[exactness]")
{
  std::mt19937_64 rng(20261201);
  int exact = 0, played = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Problem problem            = test::random_problem(rng, {4, 6});
    problem.deployment.network = NetworkModel::Ideal;
    for (auto& host : problem.platform.hosts)
      host.memory_bytes = 0;
    const Placement placement   = test::random_placement(rng, problem);
    const Prediction prediction = predict(problem, placement);
    if (!closed_form_is_exact(problem, placement, prediction)) {
      ++played;
      continue;
    }
    ++exact;
    INFO("trial " << trial << ": " << to_string(placement, problem.platform));
    const ScheduleResult schedule = play_schedule(problem, placement, prediction, {200, 400});
    REQUIRE_FALSE(schedule.stalled);
    CHECK(schedule.period_s == Approx(prediction.period_s).epsilon(1e-9));
    CHECK(schedule.first_latency_s == Approx(prediction.latency_s).epsilon(1e-9));
    CHECK(predict_with_contention(problem, placement, prediction).period_s == prediction.period_s);
  }
  INFO("exact " << exact << ", played " << played);
  CHECK(exact > 600); // both kinds are common: the check is not vacuous
  CHECK(played > 600);
}

namespace {

// Three hosts of 1 GFLOP/s, a link of 1 MB/s per ordered pair; three blocks of 1 GFLOP passing 100 kB: stages take
// 1 s, transfers 0.1 s.
Problem three_pairwise()
{
  Problem problem            = test::paper_problem(test::pairwise_platform({1e9, 1e9, 1e9}, {1, 1, 1}, 1e6),
                                                   test::hand_chain({1e9, 1e9, 1e9}, {1e5, 1e5, 1e5}, 1e5), true);
  problem.deployment.network = NetworkModel::Ideal;
  return problem;
}

bool exact(const Problem& problem, const std::string& placement_text)
{
  const Placement placement = parse_placement(placement_text, problem, "test");
  return closed_form_is_exact(problem, placement, predict(problem, placement));
}

} // namespace

TEST_CASE("each reason to play the schedule out, by hand", "[exactness]")
{
  Problem problem = three_pairwise();
  CHECK(exact(problem, "h0:0,h1:1,h2:2"));       // a line: each link and device has one activity
  CHECK_FALSE(exact(problem, "h0:0,h1:1,h0:2")); // h0 hosts two stages
  problem.deployment.window = 1;                 // one input in flight: the line, one station at a time
  CHECK(exact(problem, "h0:0,h1:1,h2:2"));
  problem.deployment.window = 2; // Little's law is only a lower bound
  CHECK_FALSE(exact(problem, "h0:0,h1:1,h2:2"));
  problem.deployment.window         = 0;
  problem.deployment.source_rate_hz = 0.5; // a frame every 2 s: never queues behind 1 s stages
  CHECK(exact(problem, "h0:0,h1:1,h2:2"));
  problem.deployment.source_rate_hz = 1; // as fast as the slowest stage: treated as queueing
  CHECK_FALSE(exact(problem, "h0:0,h1:1,h2:2"));
  problem.deployment.source_rate_hz = 0;
  problem.deployment.network        = NetworkModel::Lv08; // always played out
  CHECK_FALSE(exact(problem, "h0:0,h1:1,h2:2"));

  // One SHARED link between a and b, results sent back to a: the stage's output and the result both cross it.
  Problem shared            = test::paper_problem(test::two_hosts("a", "b", {"L", 1e6, 0}),
                                                  test::hand_chain({1e9, 1e9}, {1e5, 1e5}, 1e5), false);
  shared.deployment.network = NetworkModel::Ideal;
  CHECK(exact(shared, "a:0,b:1"));
  shared.sink = 0;
  CHECK_FALSE(exact(shared, "a:0,b:1"));
  // A SPLITDUPLEX star: each hop crosses its sender's UP and its receiver's DOWN half, never the same link twice.
  Problem star            = test::paper_problem(test::star_platform({1e9, 1e9, 1e9}, 1, 1e6, 0),
                                                test::hand_chain({1e9, 1e9, 1e9}, {1e5, 1e5, 1e5}, 1e5), false);
  star.deployment.network = NetworkModel::Ideal;
  CHECK(exact(star, "h0:0,h1:1,h2:2"));
}
