// The trial's calibrated column on boards: the scenario's own measured profiles when every stage's host has one of
// its blocks, absent (and saying which hosts lack one) otherwise.

#include "cli/trial_calibration.hpp"
#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::cli;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

static void give_profile(Problem& problem, int host, const std::string& profile)
{
  problem.platform.hosts.at(host).profile = profile;
  for (auto& block : problem.chain.blocks)
    block.measured_s[profile] = {{1, 0.01}};
}

TEST_CASE("boards: the calibrated column is the scenario's own prediction only when every stage's host is measured")
{
  Problem problem           = sim::load_scenario(data_dir + "tiny.yaml").problem;
  const Placement placement = parse_placement("a:0-1@1,b:2@1", problem, "test");
  PlanFigures own;
  own.predicted          = predict(problem, placement);
  own.simulated.period_s = 0.5; // stands for the replay: passed on as it is

  const auto none = calibrate_from_profiles(problem, placement, own);
  CHECK_FALSE(none.predicted);
  CHECK_FALSE(none.simulated);
  CHECK(none.source == "absent: no measured profile of the stage's blocks on a, b");

  give_profile(problem, 0, "pi");
  const auto half = calibrate_from_profiles(problem, placement, own);
  CHECK_FALSE(half.predicted);
  CHECK(half.source == "absent: no measured profile of the stage's blocks on b");

  give_profile(problem, 1, "pi");
  const auto both = calibrate_from_profiles(problem, placement, own);
  REQUIRE(both.predicted);
  REQUIRE(both.simulated);
  CHECK(both.predicted->period_s == own.predicted.period_s);
  CHECK(both.simulated->period_s == 0.5);
  CHECK(both.source == "the scenario's own measured profiles of a, b (the same as the prediction)");
  CHECK(both.block_seconds.empty());
}
