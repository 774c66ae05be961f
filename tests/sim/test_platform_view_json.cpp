// The platform loader's SimGrid-free half (sim/platform_view_json.hpp): a view sent by the loader's child reads
// back to the same view, and a view that is not one (what the platform fuzzer feeds it) is bad input.

#include "sim/platform_loader.hpp"
#include "sim/platform_view_json.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

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
