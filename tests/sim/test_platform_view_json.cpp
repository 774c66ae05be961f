// The platform loader's SimGrid-free half (sim/platform_view_json.hpp): a view sent by the loader's child reads
// back to the same view, and a view that is not one (what the platform fuzzer feeds it) is bad input.

#include "sim/platform_loader.hpp"
#include "sim/platform_view_json.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

using pipesplit::core::HostInfo;
using pipesplit::core::LinkPower;
using pipesplit::core::Platform;
using pipesplit::core::PowerState;

using namespace pipesplit;
using core::Platform;
using test::error_of;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

TEST_CASE("platform views: what the child sends reads back exactly", "[platform]")
{
  const Platform view     = sim::load_platform_view(std::string(PIPESPLIT_SOURCE_DIR) + "/platforms/pi4_wifi.xml");
  const std::string sent  = sim::platform_view_to_json(view);
  const Platform received = sim::platform_view_from_json(sent, "again");
  CHECK(sim::platform_view_to_json(received) == sent);
  REQUIRE(received.hosts.size() == view.hosts.size());
  CHECK(received.hosts[0].memory_bytes == view.hosts[0].memory_bytes);
  CHECK(received.routes[0][1]->bandwidth_Bps == view.routes[0][1]->bandwidth_Bps);
}

TEST_CASE("platform views: host properties and indices are checked", "[platform]")
{
  auto view = [](const std::string& host, const std::string& routes) {
    return error_of([&] {
      sim::platform_view_from_json(R"({"hosts":[)" + host +
                                       R"(],"links":[{"name":"l","bandwidth":1e6,"latency":0,)"
                                       R"("fatpipe":false}],"routes":[)" +
                                       routes + "]}",
                                   "v");
    });
  };
  const std::string good = R"({"name":"a","cores":2,"speed":1e9,"properties":{}})";
  CHECK(view(good, "") == "no error");
  CHECK_THAT(view(R"({"name":"a","cores":2,"speed":1e9,"properties":{"parallel_fraction.conv":"0.5abc"}})", ""),
             Catch::Contains("property parallel_fraction.conv") && Catch::Contains("'0.5abc' is not a number"));
  CHECK_THAT(view(R"({"name":"a","cores":2,"speed":1e9,"properties":{"memory":"lots"}})", ""),
             Catch::Contains("property memory"));
  CHECK_THAT(view(R"({"name":"a","cores":1e300,"speed":1e9,"properties":{}})", ""), Catch::Contains("core count"));
  CHECK_THAT(view(good, R"({"src":0,"dst":5,"links":[0]})"), Catch::Contains("route dst"));
  CHECK_THAT(view(good, R"({"src":0,"dst":0,"links":[-1]})"), Catch::Contains("route link"));
  CHECK_THAT(error_of([] { sim::platform_view_from_json("{\"hosts\":", "v"); }),
             Catch::Contains("malformed platform view"));
}

TEST_CASE("platform views: power properties as SimGrid's energy plugins read them", "[platform][energy]")
{
  auto host = [](const std::vector<double>& speeds, const std::map<std::string, std::string>& properties) {
    return sim::host_from_properties("p.xml", "a", 4, speeds, 0, properties);
  };
  const HostInfo three =
      host({2e9, 1e9}, {{"wattage_per_state", "1:2:6, 0.5:1:3"}, {"wattage_off", "0.1"}, {"cost", "55"}});
  REQUIRE(three.power.size() == 2);
  CHECK(three.power[0] == PowerState{1, 2, 6});
  CHECK(three.power[1] == PowerState{0.5, 1, 3});
  CHECK(three.wattage_off_W == 0.1);
  CHECK(three.cost == 55);
  CHECK(host({1e9}, {{"wattage_per_state", "2.7:6.4"}}).power[0] == PowerState{2.7, 2.7, 6.4}); // Epsilon = Idle
  CHECK_THAT(error_of([&] {
               host({2e9, 1e9}, {{"wattage_per_state", "1:2:6"}});
             }),
             Catch::Contains("p.xml") && Catch::Contains("host a property wattage_per_state") &&
                 Catch::Contains("1 power states for 2 pstates"));
  CHECK_THAT(error_of([&] { host({1e9}, {{"wattage_per_state", "1:x"}}); }), Catch::Contains("'1:x' is not"));
  CHECK_THAT(error_of([&] { host({1e9}, {{"wattage_per_state", "1:2:3:4"}}); }), Catch::Contains("is not"));
  CHECK_THAT(error_of([&] { host({1e9}, {{"cost", "-1"}}); }), Catch::Contains("host a property cost"));
  CHECK_THAT(error_of([] { sim::link_power_from_property("p.xml", "air", "3"); }),
             Catch::Contains("link air property wattage_range"));
  CHECK(sim::link_power_from_property("p.xml", "air", "2:4.5") == LinkPower{2, 4.5});
  // The view keeps them through the loader's child process.
  const Platform view = sim::load_platform_view(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/energy.xml");
  const Platform back = sim::platform_view_from_json(sim::platform_view_to_json(view), "again");
  const HostInfo& a   = back.hosts[*back.find_host("a")];
  CHECK(a.pstate_speeds == std::vector<double>{1e9, 0.5e9});
  CHECK(a.power[1] == PowerState{1, 1.5, 3});
  CHECK(a.wattage_off_W == 0.5);
  CHECK(a.cost == 40);
  CHECK(back.links[0].power.has_value());
}
