// Scenario files and placements: what they mean, and the errors bad ones get.

#include "core/error.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::sim;

static const std::string source_dir = PIPESPLIT_SOURCE_DIR;

static std::string scenario_file(const std::string& name, const std::string& text)
{
  const auto path = std::filesystem::temp_directory_path() / ("pipesplit_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

static std::string load_error(const std::string& name, const std::string& text)
{
  try {
    sim::load_scenario(scenario_file(name, text));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

static const std::string ethernet = "platform: " + source_dir + "/platforms/pi4_ethernet.xml\n";

TEST_CASE("a shipped scenario loads with its options", "[scenario]")
{
  const auto loaded = sim::load_scenario(source_dir + "/scenarios/resnet18_pi4_wifi.yaml");
  CHECK(loaded.model.name == "resnet18");
  CHECK(loaded.problem.devices.size() == 4);
  CHECK(loaded.problem.source == 0);
  CHECK(loaded.problem.sink == 0);
  CHECK(loaded.problem.deployment.max_cuts == 3);
  CHECK(loaded.problem.deployment.queue_depth == 2);
  CHECK(loaded.problem.chain.size() == 23);
}

TEST_CASE("limits are refused up front, before any product can overflow", "[scenario][errors][limits]")
{
  CHECK_THAT(load_error("huge_resolution.yaml", ethernet + "model: resnet18\nmodel_resolution: 1000000000\n"),
             Catch::Contains("huge_resolution.yaml:3") && Catch::Contains("within 1..16384"));
  CHECK_THAT(load_error("huge_rate.yaml", ethernet + "model: resnet18\ndeployment: {source_rate_hz: 1e300}\n"),
             Catch::Contains("deployment.source_rate_hz") && Catch::Contains("0..1e+06 Hz"));
  CHECK_THAT(load_error("nan_rate.yaml", ethernet + "model: resnet18\ndeployment: {source_rate_hz: .nan}\n"),
             Catch::Contains("deployment.source_rate_hz"));
  CHECK_THAT(load_error("huge_run.yaml", ethernet + "model: resnet18\nsimulation: {inferences: 1000000000}\n"),
             Catch::Contains("simulation.inferences") && Catch::Contains("within 1..100000000"));
  // A tensor beyond 2^53 elements (here an input of 2^60 floats) is refused, never wrapped to a negative size.
  CHECK_THROWS_WITH(element_count({1 << 20, 1 << 20, 1 << 20}), Catch::Contains("2^53"));
  CHECK(element_count({1 << 20, 1 << 20, 1 << 12}) == int64_t{1} << 52);
}

TEST_CASE("bad scenarios name the file, the field and the line", "[scenario][errors]")
{
  CHECK_THAT(load_error("syntax.yaml", "model: [resnet18\n"),
             Catch::Contains("syntax.yaml") && Catch::Contains("malformed YAML"));
  CHECK_THAT(load_error("no_model.yaml", ethernet), Catch::Contains("field 'model'") && Catch::Contains("missing"));
  CHECK_THAT(load_error("unknown_model.yaml", ethernet + "model: resnet1800\n"),
             Catch::Contains("unknown_model.yaml:2") && Catch::Contains("neither a zoo model"));
  CHECK_THAT(load_error("unknown_host.yaml", ethernet + "model: resnet18\ndevices: [pi0, pi9]\n"),
             Catch::Contains("unknown_host.yaml:3") && Catch::Contains("unknown host 'pi9'"));
  CHECK_THAT(load_error("unknown_source.yaml", ethernet + "model: resnet18\nsource: cam\n"),
             Catch::Contains("unknown_source.yaml:3") && Catch::Contains("field 'source'"));
  CHECK_THAT(load_error("typo.yaml", ethernet + "model: resnet18\ndeployment:\n  max_cut: 2\n"),
             Catch::Contains("typo.yaml:4") && Catch::Contains("deployment.max_cut") && Catch::Contains("unknown key"));
  CHECK_THAT(load_error("threads.yaml", ethernet + "model: resnet18\ndeployment: {threads: 0}\n"),
             Catch::Contains("deployment.threads") && Catch::Contains("within 1.."));
  CHECK_THAT(load_error("network.yaml", ethernet + "model: resnet18\ndeployment: {network_model: tcp}\n"),
             Catch::Contains("deployment.network_model") && Catch::Contains("unknown network model 'tcp'"));
  CHECK_THAT(load_error("platform.yaml", "platform: nowhere.xml\nmodel: resnet18\n"),
             Catch::Contains("nowhere.xml") && Catch::Contains("no such platform file"));
  CHECK_THAT(load_error("no_route.yaml", "platform: " + source_dir + "/tests/data/no_route.xml\nmodel: resnet18\n"),
             Catch::Contains("no route from a to c"));
  // The same platform is fine when the scenario only uses connected hosts.
  CHECK(load_error("route_ok.yaml", "platform: " + source_dir +
                                        "/tests/data/no_route.xml\nmodel: resnet18\n"
                                        "devices: [a, b]\n") == "no error");
}

static std::string placement_error(const std::string& text, bool reuse = false, int max_cuts = -1)
{
  auto loaded                            = sim::load_scenario(source_dir + "/scenarios/resnet18_pi4_wifi.yaml");
  loaded.problem.deployment.device_reuse = reuse;
  loaded.problem.deployment.max_cuts     = max_cuts;
  try {
    parse_placement(text, loaded.problem, "--placement");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("placements: syntax, threads, and every way to get coverage wrong", "[placement][errors]")
{
  auto loaded        = sim::load_scenario(source_dir + "/scenarios/resnet18_pi4_wifi.yaml");
  const Placement ok = parse_placement("pi0:0-11,pi1:12-21@2,pi2:22", loaded.problem, "--placement");
  REQUIRE(ok.stages.size() == 3);
  CHECK(ok.stages[0] == Stage{0, 0, 11, 4});
  CHECK(ok.stages[1] == Stage{1, 12, 21, 2});
  CHECK(ok.stages[2] == Stage{2, 22, 22, 4});
  CHECK(to_string(ok, loaded.problem.platform) == "pi0:0-11@4,pi1:12-21@2,pi2:22@4");

  CHECK_THAT(placement_error("pi0:0-10,pi1:12-22"), Catch::Contains("gap, blocks 11-11"));
  CHECK_THAT(placement_error("pi0:0-12,pi1:12-22"), Catch::Contains("overlaps"));
  CHECK_THAT(placement_error("pi0:0-11,pi1:12-30"), Catch::Contains("out of bounds") && Catch::Contains("0-22"));
  CHECK_THAT(placement_error("pi0:0-11"), Catch::Contains("blocks 12-22 are on no stage"));
  CHECK_THAT(placement_error("pi0:1-22"), Catch::Contains("gap, blocks 0-0"));
  CHECK_THAT(placement_error("px:0-22"), Catch::Contains("unknown host 'px'"));
  CHECK_THAT(placement_error("pi0:0-x"), Catch::Contains("'x' is not a non-negative integer"));
  CHECK_THAT(placement_error("pi0"), Catch::Contains("DEVICE:FIRST-LAST"));
  CHECK_THAT(placement_error("pi0:0-22@5"), Catch::Contains("5 threads, but pi0 has 4 cores"));
  CHECK_THAT(placement_error("pi0:0-5,pi1:6-10,pi0:11-22"), Catch::Contains("device_reuse: false"));
  CHECK(placement_error("pi0:0-5,pi1:6-10,pi0:11-22", true) == "no error");
  CHECK_THAT(placement_error("pi0:0-5,pi1:6-10,pi2:11-22", false, 1),
             Catch::Contains("2 cuts") && Catch::Contains("at most 1"));
  CHECK_THAT(placement_error("pi0:0-5,pi0:6-22"), Catch::Contains("same device as the previous stage"));
}
