// When is the DP exact? When no two transfers that can appear in one placement on distinct devices load a common
// link (FATPIPE links aside). Checked link by link in one pass over the transfers crossing it, not over every
// 4-tuple of devices: on 256 devices the 4-tuples alone took 53 s.

#include "solver/search_algorithms.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

namespace pipesplit::solver {

namespace {

struct Transfer {
  int from, to;
};

// Two cuts a->b and c->d appear together in a placement on distinct devices unless they share a sender or a
// receiver, or one is the other reversed.
bool together(const Transfer& x, const Transfer& y)
{
  return x.from != y.from && x.to != y.to && !(x.from == y.to && x.to == y.from);
}

// Two cuts on one link that may appear together, if any. Either some cut goes with the first one, or every cut
// leaves its sender a, enters its receiver b, or is it reversed; of those, a cut a->x (x != b) goes with any
// y->b (y != a), and b->a goes with both kinds: one representative of each kind decides.
std::optional<std::pair<Transfer, Transfer>> cuts_together(const std::vector<Transfer>& cuts)
{
  if (cuts.size() < 2)
    return std::nullopt;
  const Transfer& e = cuts.front();
  std::optional<Transfer> out, in, back;
  for (const Transfer& c : cuts) {
    if (together(e, c))
      return std::make_pair(e, c);
    if (c.from == e.from && c.to != e.to)
      out = c;
    else if (c.to == e.to && c.from != e.from)
      in = c;
    else if (c.from == e.to && c.to == e.from)
      back = c;
  }
  const std::array<std::pair<std::optional<Transfer>, std::optional<Transfer>>, 3> kinds{
      {{out, in}, {back, out}, {back, in}}};
  for (const auto& [x, y] : kinds)
    if (x && y && together(*x, *y))
      return std::make_pair(*x, *y);
  return std::nullopt;
}

// The transfers of placements on the problem's devices that load each non-FATPIPE link.
struct LinkTraffic {
  std::vector<Transfer> cuts, inputs, outputs;
};

std::vector<LinkTraffic> traffic_by_link(const SearchSpace& space)
{
  const Problem& p = space.problem;
  std::vector<LinkTraffic> traffic(p.platform.links.size());
  auto record = [&](int from, int to, std::vector<Transfer> LinkTraffic::*kind) {
    if (from == to)
      return;
    for (const LinkUse& use : space.path(from, to).cost.uses)
      if (p.platform.links[use.link].sharing != Sharing::FatPipe) {
        auto& list = traffic[use.link].*kind;
        if (list.empty() || list.back().from != from || list.back().to != to) // a route may cross a link twice
          list.push_back(Transfer{from, to});
      }
  };
  for (int a : p.devices) {
    for (int b : p.devices)
      record(a, b, &LinkTraffic::cuts);
    if (p.source)
      record(*p.source, a, &LinkTraffic::inputs);
    if (p.sink)
      record(a, *p.sink, &LinkTraffic::outputs);
  }
  return traffic;
}

// A cut whose `end` (receiver for the input, sender for the output) differs from the given host, if any.
std::optional<Transfer> cut_avoiding(const std::vector<Transfer>& cuts, int host, int Transfer::*end)
{
  for (const Transfer& c : cuts)
    if (c.*end != host)
      return c;
  return std::nullopt;
}

} // namespace

std::string dp_exactness(const SearchSpace& space)
{
  const Problem& p = space.problem;
  if (p.deployment.device_reuse)
    return "device reuse is allowed (DP places each device at most once)";
  if (p.deployment.window > 0 && p.deployment.source_rate_hz <= 0)
    return "an explicit closed-loop window makes the period depend on the latency";
  const auto& hosts = p.platform.hosts;
  for (const LinkTraffic& link : traffic_by_link(space)) {
    if (const auto pair = cuts_together(link.cuts))
      return fmt::format("cuts {}->{} and {}->{} share a link", hosts[pair->first.from].name,
                         hosts[pair->first.to].name, hosts[pair->second.from].name, hosts[pair->second.to].name);
    // The input to f goes with any cut a->b such that b != f; the output from l with any a->b such that a != l.
    for (const Transfer& input : link.inputs)
      if (const auto cut = cut_avoiding(link.cuts, input.to, &Transfer::to))
        return fmt::format("the input to {} and the cut {}->{} share a link", hosts[input.to].name,
                           hosts[cut->from].name, hosts[cut->to].name);
    for (const Transfer& output : link.outputs)
      if (const auto cut = cut_avoiding(link.cuts, output.from, &Transfer::from))
        return fmt::format("the output from {} and the cut {}->{} share a link", hosts[output.from].name,
                           hosts[cut->from].name, hosts[cut->to].name);
    if (!link.inputs.empty() && !link.outputs.empty())
      return fmt::format("the input to {} and the output from {} share a link", hosts[link.inputs.front().to].name,
                         hosts[link.outputs.front().from].name);
  }
  return "";
}

} // namespace pipesplit::solver
