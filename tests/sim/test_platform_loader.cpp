// SimGrid platform files -> the solver's view, and the errors bad platforms get.

#include "core/error.hpp"
#include "sim/platform_loader.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::sim;

static const std::string source_dir = PIPESPLIT_SOURCE_DIR;

static const Route& route_between(const Platform& p, const std::string& a, const std::string& b)
{
  return p.route(*p.find_host(a), *p.find_host(b));
}

TEST_CASE("the Ethernet star: SPLITDUPLEX halves, summed latency, bottleneck bandwidth", "[platform]")
{
  const Platform p = sim::load_platform_view(source_dir + "/platforms/pi4_ethernet.xml");
  REQUIRE(p.hosts.size() == 4);
  for (const auto& host : p.hosts) {
    CHECK(host.cores == 4);
    CHECK(host.core_speed_flops == 5e9);
    CHECK(host.memory_bytes == 4.0 * 1024 * 1024 * 1024);
  }
  const Route& route = route_between(p, "pi0", "pi1");
  REQUIRE(route.links.size() == 2);
  CHECK(p.links[route.links[0]].name == "pi0_eth_UP");
  CHECK(p.links[route.links[1]].name == "pi1_eth_DOWN");
  CHECK(route.latency_s == Approx(100e-6));
  CHECK(route.bandwidth_Bps == Approx(940e6 / 8));
  const Route& back = route_between(p, "pi1", "pi0");
  CHECK(p.links[back.links[0]].name == "pi1_eth_UP");
}

TEST_CASE("the WiFi cell: the air link crossed twice", "[platform]")
{
  const Platform p   = sim::load_platform_view(source_dir + "/platforms/pi4_wifi.xml");
  const Route& route = route_between(p, "pi2", "pi3");
  REQUIRE(route.links.size() == 2);
  CHECK(route.links[0] == route.links[1]);
  CHECK(route.latency_s == Approx(2e-3));
  CHECK(route.bandwidth_Bps == Approx(100e6 / 8 / 2));
}

TEST_CASE("the heterogeneous mix", "[platform]")
{
  const Platform p = sim::load_platform_view(source_dir + "/platforms/jetson_pi_mix.xml");
  REQUIRE(p.hosts.size() == 4);
  const HostInfo& jetson = p.hosts[*p.find_host("jetson")];
  CHECK(jetson.cores == 1);
  CHECK(jetson.core_speed_flops == 60e9);
}

static std::string load_error(const std::string& file)
{
  try {
    sim::load_platform_view(source_dir + "/tests/data/" + file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("bad platforms get one clear message naming the file", "[platform][errors]")
{
  CHECK_THAT(load_error("malformed.xml"), Catch::Contains("malformed.xml:6") && Catch::Contains("<host>"));
  CHECK_THAT(load_error("zero_bandwidth.xml"),
             Catch::Contains("zero_bandwidth.xml") && Catch::Contains("link l bandwidth") && Catch::Contains("> 0"));
  CHECK_THAT(load_error("negative_speed.xml"),
             Catch::Contains("negative_speed.xml") && Catch::Contains("host a speed") && Catch::Contains("> 0"));
  CHECK_THAT(load_error("bad_memory.xml"), Catch::Contains("memory") && Catch::Contains("'lots'"));
  CHECK_THAT(load_error("missing.xml"), Catch::Contains("no such platform file"));
  // SimGrid itself crashes on this route: the error names the pair it was looking up.
  CHECK_THAT(load_error("zones_without_route.xml"), Catch::Contains("zones_without_route.xml") &&
                                                        Catch::Contains("no route from a to b") &&
                                                        Catch::Contains("Segmentation fault"));
  // A pair without a route is only an error when a scenario needs it (see test_scenario.cpp).
  const Platform p = sim::load_platform_view(source_dir + "/tests/data/no_route.xml");
  CHECK_FALSE(p.routes[0][2].has_value());
}
