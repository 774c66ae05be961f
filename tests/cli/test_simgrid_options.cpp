// SimGrid's own options pass through `simulate` and `run`: a configuration item changes the simulated figure as
// SimGrid says it should, an unknown one is bad input, and SimGrid's help answers. By hand, on tests/data/tiny.yaml
// at 1 Mbit/s (125,000 bytes/s, 10 ms latency, a 500,000-byte cut): SimGrid's bandwidth factor 0.5 leaves half the
// bandwidth, so the simulated period is 0.01 + 500000 / 62500 = 8.01 s, while the cost model, which knows nothing of
// the factor, still predicts 4.01 s.

#include "analysis/csv.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

using pipesplit::test::run_command;

static const std::string tiny = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/tiny.yaml";

TEST_CASE("cfg: a SimGrid configuration item reaches the simulation", "[cli][simgrid-options]")
{
  const auto result =
      run_command({PIPESPLIT_BINARY, "simulate", tiny, "--placement", "a:0-1,b:2", "--set",
                   "platform.links.*.bandwidth=1Mbps", "--cfg=network/bandwidth-factor:0.5", "--json", "-"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto document = nlohmann::json::parse(result.out);
  CHECK(document.at("period_s").at("predicted").get<double>() == Approx(4.01).epsilon(1e-9));
  CHECK(document.at("period_s").at("simulated").get<double>() == Approx(8.01).epsilon(1e-9));
}

TEST_CASE("cfg: an item SimGrid does not know is bad input, before any work", "[cli][simgrid-options]")
{
  const std::vector<std::vector<std::string>> commands = {
      {PIPESPLIT_BINARY, "simulate", tiny, "--cfg=network/nosuch:1"},
      {PIPESPLIT_BINARY, "run", tiny, "--out", "/nonexistent/never", "--cfg=network/nosuch:1"}};
  for (const auto& command : commands) {
    const auto result = run_command(command);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--cfg") && Catch::Contains("Bad config key: network/nosuch"));
  }
}

TEST_CASE("cfg: SimGrid's help on its configuration and logs", "[cli][simgrid-options]")
{
  const auto items = run_command({PIPESPLIT_BINARY, "simulate", "--help-cfg"});
  CHECK(items.exit_code == 0);
  CHECK_THAT(items.out, Catch::Contains("network/bandwidth-factor") && Catch::Contains("network/TCP-gamma"));
  const auto logs = run_command({PIPESPLIT_BINARY, "run", "--help-logs"});
  CHECK(logs.exit_code == 0);
  CHECK_THAT(logs.out, Catch::Contains("--log=CATEGORY_NAME.thres:PRIORITY_LEVEL"));
}

TEST_CASE("cfg: sweep --cfg reaches every replay, and is part of the sweep folder's identity", "[cli][simgrid-options]")
{
  // As in tests/analysis/test_sweep.cpp: at 8 Mbit/s the plan splits, and SimGrid's bandwidth factor 0.01 leaves the
  // cable 10 kB/s in the replay, which the cost model does not know.
  const std::string sweep = pipesplit::test::temp_file(
      "cfg_sweep_cli.yaml", "format: pipesplit-sweep/1\nscenario: " + std::string(PIPESPLIT_SOURCE_DIR) +
                                "/tests/data/tiny_paper.yaml\naxes:\n  - {path: platform.links.*.bandwidth, values: "
                                "[8Mbps]}\nsimulate: {all: true, inferences: 20, warmup: 5}\n");
  const auto out = (std::filesystem::temp_directory_path() / "pipesplit_test_cfg_sweep_cli").string();
  const auto run = [&](const std::string& item, const std::string& mode) {
    return run_command({PIPESPLIT_BINARY, "sweep", sweep, "--out", out, "--jobs", "1", mode, "--cfg", item});
  };
  const auto first = run("network/bandwidth-factor:0.01", "--force");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  std::ifstream results(out + "/results.csv");
  std::string header, row;
  std::getline(results, header);
  std::getline(results, row);
  const auto column = [&](const std::string& name) {
    const auto names = pipesplit::analysis::parse_csv_line(header), values = pipesplit::analysis::parse_csv_line(row);
    return values.at(static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin()));
  };
  REQUIRE(column("placement").find(',') != std::string::npos);
  CHECK(std::stod(column("sim_period_s")) > 10 * std::stod(column("period_s")));

  const auto other = run("network/bandwidth-factor:0.5", "--resume");
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("another sweep") && Catch::Contains("simulate_cfg"));
  const auto unknown = run("network/nosuch:1", "--force");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("--cfg") && Catch::Contains("Bad config key: network/nosuch"));
}
