// The JSON documents scripts rely on: stable field names, units, and predict agreeing with solve.

#include "cli/prediction_report.hpp"
#include "cli/solve_report.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::cli;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

TEST_CASE("predict JSON carries the documented fields, in SI units", "[report]")
{
  const auto loaded    = sim::load_scenario(data_dir + "tiny.yaml");
  const Placement plan = parse_placement("a:0,b:1-2", loaded.problem, "test");
  const auto json      = cli::prediction_to_json(loaded.problem, loaded.model, predict(loaded.problem, plan));
  CHECK(json["period_s"].get<double>() == Approx(2.01));
  CHECK(json["throughput_ips"].get<double>() == Approx(1 / 2.01));
  CHECK(json["latency_s"].get<double>() == Approx(4.28));
  CHECK(json["bottleneck"]["kind"] == "transfer");
  CHECK(json["bottleneck"]["name"] == "a->b (after block 0)");
  REQUIRE(json["stages"].size() == 2);
  const auto& stage = json["stages"][1];
  CHECK(stage["device"] == "b");
  CHECK(stage["first_layer"] == 1);
  CHECK(stage["last_layer"] == 2);
  CHECK(stage["threads"] == 2);
  CHECK(stage["compute_s"].get<double>() == Approx(1.25));
  CHECK(stage["memory_bytes"].get<double>() == Approx(1e6 + 2e6 + 1e4));
  REQUIRE(json["transfers"].size() == 2);
  CHECK(json["transfers"][0]["from"] == "a");
  CHECK(json["transfers"][0]["to"] == "b");
  CHECK(json["transfers"][0]["bytes"].get<double>() == 2e6);
  CHECK(json["transfers"][0]["time_s"].get<double>() == Approx(2.01));
  CHECK(json["units"]["time"] == "s");
}

TEST_CASE("solve JSON: the plan, how it was found, the single-device reference; predict agrees", "[report]")
{
  const auto loaded = sim::load_scenario(data_dir + "tiny.yaml");
  SolveOptions options;
  const SolveResult result = solve(loaded.problem, options);
  const SolveResult single = best_single_device(loaded.problem);
  auto json                = cli::solve_report_json(loaded, options, result, single);
  CHECK(json["optimal"] == true);
  CHECK(json["solver"] == "bnb");
  CHECK(json["period_s"].get<double>() == Approx(1.5));
  CHECK(json["best_single"]["device"] == "b");
  CHECK(json["best_single"]["period_s"].get<double>() == Approx(1.75));
  CHECK(json["speedup_vs_best_single"].get<double>() == Approx(1.75 / 1.5));
  CHECK(json["nodes_expanded"].get<long long>() > 0);
  CHECK(json.contains("wall_s"));
  // What solve returns, predict reproduces.
  const Placement again = parse_placement(json["placement"].get<std::string>(), loaded.problem, "test");
  CHECK(predict(loaded.problem, again).period_s == json["period_s"].get<double>());
  // Every field but the wall time is the same from one run to the next.
  auto second = cli::solve_report_json(loaded, options, solve(loaded.problem, options), single);
  json.erase("wall_s");
  second.erase("wall_s");
  CHECK(json.dump() == second.dump());
}
