#include "tests/support/model_limits.hpp"

#include <algorithm>
#include <vector>

namespace pipesplit::test {

bool cores_pack(const Problem& problem, const Placement& placement)
{
  for (const auto& a : placement.stages) {
    int threads   = 0;
    bool all_full = true;
    for (const auto& b : placement.stages)
      if (b.device == a.device) {
        threads += b.threads;
        all_full = all_full && b.threads == problem.host(b.device).cores;
      }
    if (threads > problem.host(a.device).cores && !all_full)
      return false;
  }
  return true;
}

bool saturated_link_with_latency(const Problem& problem, const Prediction& prediction)
{
  if (prediction.bottleneck.kind != ResourceKind::Link)
    return false;
  const auto& links = problem.platform.links;
  double latency    = 0;
  int transfers     = 0;
  for (const auto& t : prediction.transfers)
    for (int link : problem.platform.route(t.from, t.to).links)
      if (links[link].name == prediction.bottleneck.name) {
        latency += problem.platform.route(t.from, t.to).latency_s;
        ++transfers;
        break;
      }
  return transfers > 1 && latency > 0;
}

bool fatpipe_with_unequal_latencies(const Problem& problem, const Prediction& prediction)
{
  const auto& links = problem.platform.links;
  for (size_t l = 0; l < links.size(); ++l) {
    if (links[l].sharing != Sharing::FatPipe)
      continue;
    std::vector<double> latencies;
    for (const auto& t : prediction.transfers) {
      const Route& route = problem.platform.route(t.from, t.to);
      if (std::find(route.links.begin(), route.links.end(), static_cast<int>(l)) != route.links.end())
        latencies.push_back(route.latency_s);
    }
    if (latencies.size() > 1 &&
        *std::min_element(latencies.begin(), latencies.end()) != *std::max_element(latencies.begin(), latencies.end()))
      return true;
  }
  return false;
}

bool small_window(const Problem& problem)
{
  return problem.deployment.window > 1 && problem.deployment.source_rate_hz <= 0;
}

} // namespace pipesplit::test
