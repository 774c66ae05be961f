#include "sim/ns3_limits.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "cost/hops.hpp"

#include <fmt/format.h>

namespace pipesplit::sim {

namespace {

std::string too_large(double bytes)
{
  return fmt::format("the ns3 network model replays transfers of at most {:.0f} bytes (SimGrid 3.32's ns-3 binding "
                     "aborts larger ones), but this one carries {:.0f} bytes ({}): use ideal or lv08",
                     ns3_max_transfer_bytes, bytes, format_bytes(bytes));
}

} // namespace

void check_ns3_placement(const Problem& problem, const Placement& placement)
{
  const auto& hosts = problem.platform.hosts;
  for (const Hop& hop : pipeline_hops(problem, placement)) {
    if (!hop.remote())
      continue;
    const auto crossings = problem.platform.route(hop.from, hop.to).links.size();
    if (crossings != 1)
      throw InputError(problem.platform.file, "",
                       fmt::format("the ns3 network model needs routes of one link (SimGrid 3.32's ns-3 binding), but "
                                   "{} -> {} crosses {}",
                                   hosts[hop.from].name, hosts[hop.to].name, crossings));
    if (hop.bytes > ns3_max_transfer_bytes)
      throw InputError("", "",
                       fmt::format("{} -> {}: {}", hosts[hop.from].name, hosts[hop.to].name, too_large(hop.bytes)));
  }
}

void check_ns3_transfers(const Problem& problem, const std::string& where)
{
  const Chain& chain = problem.chain;
  double largest     = problem.source ? chain.input_bytes : 0;
  for (int b = 0; b + 1 < chain.size(); ++b)
    largest = std::max(largest, chain.blocks[b].cut_bytes);
  if (problem.sink)
    largest = std::max(largest, chain.blocks.back().cut_bytes);
  if (largest > ns3_max_transfer_bytes)
    throw InputError(where, "", "the model's largest transfer: " + too_large(largest));
}

} // namespace pipesplit::sim
