// dp_exactness (one pass per link) against the definition it implements, checked naively over every 4-tuple of
// devices: two transfers of one placement on distinct devices load a common non-FATPIPE link.

#include "cost/network_cost.hpp"
#include "solver/search_algorithms.hpp"
#include "tests/support/random_instances.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace pipesplit;
using namespace pipesplit::solver;

namespace {

bool share_a_link(const Problem& p, int a, int b, int c, int d)
{
  if (a == b || c == d)
    return false;
  for (const LinkUse& x : transfer_cost(p.platform, p.deployment.network, a, b).uses)
    for (const LinkUse& y : transfer_cost(p.platform, p.deployment.network, c, d).uses)
      if (x.link == y.link && p.platform.links[x.link].sharing != Sharing::FatPipe)
        return true;
  return false;
}

bool naive_exact(const Problem& p)
{
  if (p.deployment.device_reuse || (p.deployment.window > 0 && p.deployment.source_rate_hz <= 0))
    return false;
  const auto& ds = p.devices;
  for (int a : ds)
    for (int b : ds)
      for (int c : ds)
        for (int d : ds)
          if (a != c && b != d && !(a == d && b == c) && share_a_link(p, a, b, c, d))
            return false;
  for (int f : ds)
    for (int a : ds)
      for (int b : ds)
        if ((p.source && b != f && share_a_link(p, *p.source, f, a, b)) ||
            (p.sink && a != f && share_a_link(p, f, *p.sink, a, b)))
          return false;
  if (p.source && p.sink)
    for (int f : ds)
      for (int l : ds)
        if (share_a_link(p, *p.source, f, l, *p.sink))
          return false;
  return true;
}

// Every ordered pair routed over one to three links drawn from a few, so that links carry arbitrary sets of
// transfers (stars, reversed pairs, a lone input or output).
void scramble_routes(std::mt19937_64& rng, Platform& platform)
{
  const size_t hosts = platform.hosts.size();
  const int links    = std::uniform_int_distribution<int>(1, 2 * static_cast<int>(hosts))(rng);
  platform.links.clear();
  for (int l = 0; l < links; ++l)
    platform.links.push_back(
        LinkInfo{"l" + std::to_string(l), 1e8, 1e-4,
                 std::uniform_int_distribution<int>(0, 4)(rng) ? Sharing::Shared : Sharing::FatPipe});
  std::uniform_int_distribution<int> pick(0, links - 1), count(1, 3);
  for (size_t a = 0; a < hosts; ++a)
    for (size_t b = 0; b < hosts; ++b)
      if (a != b) {
        Route route{{}, 0, 0};
        for (int i = count(rng); i > 0; --i)
          route.links.push_back(pick(rng));
        platform.routes[a][b] = route;
      }
  platform.finalize();
}

} // namespace

TEST_CASE("dp_exactness agrees with the 4-tuple definition on 3000 random platforms", "[solver][dp]")
{
  std::mt19937_64 rng(1811);
  int exact = 0, inexact = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Problem problem                 = test::random_problem(rng, {6, 3});
    problem.deployment.device_reuse = false;
    problem.deployment.window       = 0;
    if (trial % 2)
      scramble_routes(rng, problem.platform);
    if (trial % 3 == 0)
      problem.deployment.network = NetworkModel::Lv08; // acknowledgements load the reverse routes
    INFO("trial " << trial);
    const bool expected = naive_exact(problem);
    CHECK(dp_exactness(SearchSpace(problem)).empty() == expected);
    ++(expected ? exact : inexact);
  }
  CHECK(exact > 500);
  CHECK(inexact > 500);
}
