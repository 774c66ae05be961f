#include "solver/symmetry.hpp"

#include <algorithm>
#include <map>

namespace pipesplit::solver {

static bool same_device(const HostInfo& a, const HostInfo& b)
{
  return a.cores == b.cores && a.core_speed_flops == b.core_speed_flops && a.memory_bytes == b.memory_bytes &&
         a.profile == b.profile && a.parallel_fraction == b.parallel_fraction && a.op_efficiency == b.op_efficiency;
}

static bool same_link(const LinkInfo& a, const LinkInfo& b)
{
  return a.bandwidth_Bps == b.bandwidth_Bps && a.latency_s == b.latency_s && a.sharing == b.sharing;
}

// Is swapping hosts a and b an automorphism of the routes between `hosts`?
static bool swap_preserves_routes(const Platform& platform, const std::vector<int>& hosts, int a, int b)
{
  auto swapped = [&](int h) { return h == a ? b : h == b ? a : h; };
  std::map<int, int> forward;
  std::map<int, int> backward;
  for (int x : hosts)
    for (int y : hosts) {
      if (x == y)
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
  return true;
}

std::vector<int> device_symmetry_classes(const Problem& problem)
{
  std::vector<int> hosts = problem.devices;
  for (auto end : {problem.source, problem.sink})
    if (end && std::find(hosts.begin(), hosts.end(), *end) == hosts.end())
      hosts.push_back(*end);
  const auto pinned = [&](int host) { return host == problem.source || host == problem.sink; };

  std::vector<int> class_of(problem.devices.size(), -1);
  std::vector<int> representatives; // first slot of each class
  for (size_t slot = 0; slot < problem.devices.size(); ++slot) {
    const int host = problem.devices[slot];
    if (!pinned(host))
      for (size_t c = 0; c < representatives.size() && class_of[slot] < 0; ++c) {
        const int other = problem.devices[representatives[c]];
        if (!pinned(other) && same_device(problem.host(host), problem.host(other)) &&
            swap_preserves_routes(problem.platform, hosts, host, other))
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
