// SimGrid's own options pass through `simulate` and `run`: a configuration item changes the simulated figure as
// SimGrid says it should, an unknown one is bad input, and SimGrid's help answers. By hand, on tests/data/tiny.yaml
// at 1 Mbit/s (125,000 bytes/s, 10 ms latency, a 500,000-byte cut): SimGrid's bandwidth factor 0.5 leaves half the
// bandwidth, so the simulated period is 0.01 + 500000 / 62500 = 8.01 s, while the cost model, which knows nothing of
// the factor, still predicts 4.01 s.

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
