// `--set PATH=VALUE` replaces scenario values on the command line, by the paths of sweep axes. Checked by hand on
// tests/data/tiny.yaml: the cut after block 1 is 500,000 bytes, the cable 8 Mbit/s (1e6 bytes/s) with 10 ms latency,
// so at 1 Mbit/s (125,000 bytes/s) the transfer takes 0.01 + 500000 / 125000 = 4.01 s and sets the period, in the
// prediction and in the SimGrid replay alike.

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using pipesplit::test::run_command;

namespace {

const std::string tiny = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/tiny.yaml";

nlohmann::json json_of(std::vector<std::string> arguments)
{
  arguments.insert(arguments.begin(), PIPESPLIT_BINARY);
  arguments.insert(arguments.end(), {"--json", "-"});
  const auto result = run_command(arguments);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return nlohmann::json::parse(result.out);
}

} // namespace

TEST_CASE("set: a link's bandwidth: predicted and simulated period follow it", "[cli][set]")
{
  const auto base = json_of({"simulate", tiny, "--placement", "a:0-1,b:2"});
  CHECK(base.at("period_s").at("simulated").get<double>() == Approx(1.5)); // compute-bound at 8 Mbit/s
  const auto slow =
      json_of({"simulate", tiny, "--placement", "a:0-1,b:2", "--set", "platform.links.*.bandwidth=1Mbps"});
  CHECK(slow.at("period_s").at("predicted").get<double>() == Approx(4.01).epsilon(1e-9));
  CHECK(slow.at("period_s").at("simulated").get<double>() == Approx(4.01).epsilon(1e-9));
}

TEST_CASE("set: scenario paths: camera rate, device count, repeated and later-wins", "[cli][set]")
{
  // A camera at 0.1 Hz paces the pipeline: one input every 10 s.
  const auto camera = json_of({"predict", tiny, "--placement", "a:0-1,b:2", "--set", "deployment.source_rate_hz=0.1"});
  CHECK(camera.at("period_s").get<double>() == Approx(10));
  const auto one = json_of({"solve", tiny, "--set", "device_count=1"});
  CHECK(one.at("placement") == "a:0-2@2");
  const auto later = json_of({"predict", tiny, "--placement", "a:0-1,b:2", "--set", "deployment.source_rate_hz=0.1",
                              "--set", "deployment.source_rate_hz=0.2"});
  CHECK(later.at("period_s").get<double>() == Approx(5));
}

TEST_CASE("set: refuses what it cannot apply, naming it (exit 2)", "[cli][set]")
{
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nope", "expected PATH=VALUE"},
      {"platform.links.*.bandwidth=fast", "'fast' is not a value for platform.links.*.bandwidth"},
      {"platform.links.*.bandwidth=0", "is not a value"},
      {"platform.links.zz.bandwidth=1Mbps", "'zz' matches nothing"},
      {"platform.hosts.a.colour=red", "unknown attribute 'colour'"},
      {"device_count=3", "3 devices asked, the scenario lists 2"},
  };
  for (const auto& [set, message] : cases) {
    INFO(set);
    const auto result = run_command({PIPESPLIT_BINARY, "solve", tiny, "--set", set});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(message));
  }
}
