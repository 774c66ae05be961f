#include "cost/closed_form_exactness.hpp"
#include "cost/hops.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace pipesplit::cost {

namespace {

bool a_link_carries_two_hops(const Problem& problem, const Placement& placement)
{
  std::vector<int> hops_on_link(problem.platform.links.size(), 0);
  for (const Hop& hop : pipeline_hops(problem, placement)) {
    if (!hop.remote())
      continue;
    const auto& links = problem.platform.route(hop.from, hop.to).links;
    // One hop crossing a link twice is a lone flow at half the rate, which the closed form has.
    for (int link : std::set<int>(links.begin(), links.end()))
      if (++hops_on_link[link] > 1)
        return true;
  }
  return false;
}

bool a_device_hosts_two_stages(const Placement& placement)
{
  std::set<int> devices;
  for (const Stage& stage : placement.stages)
    if (!devices.insert(stage.device).second)
      return true;
  return false;
}

// The slowest of the pipeline's own resources: what a camera must not reach for its inputs never to queue.
double slowest_resource_s(const Prediction& prediction)
{
  double slowest = 0;
  for (const ResourceLoad& load : prediction.loads)
    if (load.kind == ResourceKind::Device || load.kind == ResourceKind::Link || load.kind == ResourceKind::Transfer)
      slowest = std::max(slowest, load.load_s);
  return slowest;
}

} // namespace

bool closed_form_is_exact(const Problem& problem, const Placement& placement, const Prediction& prediction)
{
  const Deployment& deployment = problem.deployment;
  if (deployment.network != NetworkModel::Ideal)
    return false;
  if (deployment.source_rate_hz > 0 && 1 / deployment.source_rate_hz <= slowest_resource_s(prediction) * (1 + 1e-9))
    return false;
  if (deployment.source_rate_hz <= 0 && deployment.window > 1)
    return false;
  return !a_device_hosts_two_stages(placement) && !a_link_carries_two_hops(problem, placement);
}

} // namespace pipesplit::cost
