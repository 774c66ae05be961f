// The trial's calibrated prediction: each emulated device's profile is the blocks' times on this machine's core
// divided by its CPU share, so a stage's calibrated compute is the sum of its blocks' times / the share; checked on
// the cost model directly and on the files an emulated trial wrote (root only).

#include "tests/support/run_command.hpp"
#include "tests/trial/trial_files.hpp"
#include "trial/calibrated_profile.hpp"
#include "trial/tensor_wire.hpp"
#include "trial/testbed.hpp"

#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>

using namespace pipesplit;
using namespace pipesplit::trial;
namespace fs = std::filesystem;

namespace {

fs::path test_folder(const std::string& name)
{
  return fs::temp_directory_path() / fmt::format("pipesplit_calibrated_test_{}_{}", getpid(), name);
}

double sum_of(const std::vector<double>& values, int first, int last)
{
  return std::accumulate(values.begin() + first, values.begin() + last + 1, 0.0);
}

} // namespace

TEST_CASE("calibrated profiles: a stage computes the sum of its blocks' times / its device's share")
{
  const auto folder           = test_folder("model");
  const LoadedScenario loaded = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6)));
  const int blocks            = loaded.problem.chain.size();
  std::vector<double> block_s(blocks);
  for (int b = 0; b < blocks; ++b)
    block_s[b] = 0.001 * (b + 1); // 1, 2, ... ms: each stage's sum differs from any other split's
  const std::map<int, double> shares{{0, 0.4}, {1, 0.25}};
  const Problem calibrated  = calibrated_problem(loaded.problem, block_s, shares);
  const Placement placement = parse_placement("h0:0-2,h1:3-22", calibrated, "test");
  const Prediction p        = predict(calibrated, placement);
  REQUIRE(p.stages.size() == 2);
  CHECK(p.stages[0].measured);
  CHECK(p.stages[1].measured);
  CHECK(p.stages[0].compute_s == Approx(sum_of(block_s, 0, 2) / 0.4).epsilon(1e-12));
  CHECK(p.stages[1].compute_s == Approx(sum_of(block_s, 3, blocks - 1) / 0.25).epsilon(1e-12));
  CHECK(calibrated.host(0).profile == "trial:h0");
  CHECK(loaded.problem.host(0).profile.empty()); // the scenario's own problem is left as it was
  fs::remove_all(folder);
}

TEST_CASE("an emulated trial's calibrated stage compute is its blocks' measured times / its CPU share, as written")
{
  if (!may_build_testbed()) {
    std::cout << "skipped: needs root (network namespaces, tc and cgroups)\n";
    return;
  }
  const auto folder          = test_folder("trial");
  const LoadedScenario probe = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6)));
  const double machine       = measure_core_flops(probe.model, probe.problem.chain);
  const auto scenario        = test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6, machine));
  const auto trial           = test::run_command({PIPESPLIT_BINARY, "trial", scenario, "--placement", "h0:0-2,h1:3-22",
                                                  "--inputs", "10", "--out", (folder / "out").string(), "--emulate"});
  INFO(trial.err);
  REQUIRE(trial.exit_code == 0);
  const auto result    = nlohmann::json::parse(std::ifstream(folder / "out" / "result.json"));
  const auto& block_s  = result.at("calibration").at("block_seconds").get<std::vector<double>>();
  const auto& shares   = result.at("cpu_shares").get<std::vector<double>>();
  const auto& stages   = result.at("calibration").at("prediction").at("stages");
  const int last_block = static_cast<int>(block_s.size()) - 1;
  REQUIRE(last_block == 22);
  REQUIRE(stages.size() == 2);
  CHECK(stages[0].at("compute_s").get<double>() == Approx(sum_of(block_s, 0, 2) / shares[0]).epsilon(1e-9));
  CHECK(stages[1].at("compute_s").get<double>() == Approx(sum_of(block_s, 3, last_block) / shares[1]).epsilon(1e-9));
  // The comparison's calibrated column carries the same figures, and the calibrated model was simulated.
  for (const auto& row : result.at("comparison"))
    if (row.at("figure") == "stage 1 (h1) compute")
      CHECK(row.at("calibrated").get<double>() == Approx(stages[1].at("compute_s").get<double>()));
  CHECK(result.at("calibration").at("simulated").at("period_s").get<double>() > 0);
  CHECK(fs::exists(folder / "out" / "trial.yaml"));
  fs::remove_all(folder);
}
