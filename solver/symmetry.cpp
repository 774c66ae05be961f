#include "solver/symmetry.hpp"

#include <algorithm>
#include <map>

namespace pipesplit::solver {

bool same_device_figures(const HostInfo& a, const HostInfo& b)
{
  return a.cores == b.cores && a.core_speed_flops == b.core_speed_flops && a.memory_bytes == b.memory_bytes &&
         a.profile == b.profile && a.parallel_fraction == b.parallel_fraction && a.op_efficiency == b.op_efficiency;
}

static bool same_link(const LinkInfo& a, const LinkInfo& b)
{
  return a.bandwidth_Bps == b.bandwidth_Bps && a.latency_s == b.latency_s && a.sharing == b.sharing;
}

// How often each link is crossed by the routes between `hosts`: in all of them, and in those from or to each host.
// A swap of a and b leaves the routes touching neither as they are, so their links must map to themselves: these
// counts say which links those are without walking every route for every pair (quadratic in the hosts, it was the
// bulk of a 300-device solve).
struct LinkUse {
  std::vector<int> total;                   // per link
  std::map<int, std::vector<int>> touching; // per host: per link, in routes from or to it

  LinkUse(const Platform& platform, const std::vector<int>& hosts) : total(platform.links.size())
  {
    for (int x : hosts)
      touching[x].assign(platform.links.size(), 0);
    for (int x : hosts)
      for (int y : hosts)
        if (x != y && platform.routes[x][y])
          for (int link : platform.routes[x][y]->links) {
            ++total[static_cast<size_t>(link)];
            ++touching[x][static_cast<size_t>(link)];
            ++touching[y][static_cast<size_t>(link)];
          }
  }

  // Is the link on a route that touches neither a nor b?
  bool fixed_by_swap(const Platform& platform, int link, int a, int b) const
  {
    const auto l = static_cast<size_t>(link);
    int between  = 0; // counted in both a's and b's
    for (const auto& route : {platform.routes[a][b], platform.routes[b][a]})
      if (route)
        between += static_cast<int>(std::count(route->links.begin(), route->links.end(), link));
    return total[l] - touching.at(a)[l] - touching.at(b)[l] + between > 0;
  }
};

// Is swapping hosts a and b an automorphism of the routes between `hosts`? Routes from or to a or b are compared
// with their images link for link, through one consistent map of links; every other route is its own image, so its
// links must be left in place by that map.
static bool swap_preserves_routes(const Platform& platform, const std::vector<int>& hosts, const LinkUse& use, int a,
                                  int b)
{
  auto swapped = [&](int h) { return h == a ? b : h == b ? a : h; };
  std::map<int, int> forward;
  std::map<int, int> backward;
  for (int x : hosts)
    for (int y : hosts) {
      if (x == y || (x != a && x != b && y != a && y != b))
        continue;
      const auto& original = platform.routes[x][y];
      const auto& image    = platform.routes[swapped(x)][swapped(y)];
      if (original.has_value() != image.has_value())
        return false;
      if (!original)
        continue;
      if (original->links.size() != image->links.size())
        return false;
      for (size_t i = 0; i < original->links.size(); ++i) {
        const int from = original->links[i];
        const int to   = image->links[i];
        if (!same_link(platform.links[from], platform.links[to]))
          return false;
        auto [f, new_f] = forward.emplace(from, to);
        auto [g, new_g] = backward.emplace(to, from);
        if (f->second != to || g->second != from)
          return false;
      }
    }
  for (const auto& [from, to] : forward)
    if (from != to && (use.fixed_by_swap(platform, from, a, b) || use.fixed_by_swap(platform, to, a, b)))
      return false;
  return true;
}

std::vector<int> device_symmetry_classes(const Problem& problem)
{
  std::vector<int> hosts = problem.devices;
  for (auto end : {problem.source, problem.sink})
    if (end && std::find(hosts.begin(), hosts.end(), *end) == hosts.end())
      hosts.push_back(*end);
  const auto pinned = [&](int host) { return host == problem.source || host == problem.sink; };
  const LinkUse use(problem.platform, hosts);

  std::vector<int> class_of(problem.devices.size(), -1);
  std::vector<int> representatives; // first slot of each class
  for (size_t slot = 0; slot < problem.devices.size(); ++slot) {
    const int host = problem.devices[slot];
    if (!pinned(host))
      for (size_t c = 0; c < representatives.size() && class_of[slot] < 0; ++c) {
        const int other = problem.devices[representatives[c]];
        if (!pinned(other) && same_device_figures(problem.host(host), problem.host(other)) &&
            swap_preserves_routes(problem.platform, hosts, use, host, other))
          class_of[slot] = static_cast<int>(c);
      }
    if (class_of[slot] < 0) {
      class_of[slot] = static_cast<int>(representatives.size());
      representatives.push_back(static_cast<int>(slot));
    }
  }
  return class_of;
}

} // namespace pipesplit::solver
