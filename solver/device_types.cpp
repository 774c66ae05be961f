#include "solver/device_types.hpp"
#include "solver/symmetry.hpp"

#include <fmt/format.h>

#include <optional>

namespace pipesplit::solver {

namespace {

// The transfer from host a to host b: nothing on one host, none without a route.
std::optional<TransferFigures> figures(const SearchSpace& space, int a, int b)
{
  if (a == b)
    return TransferFigures{};
  if (!space.problem.platform.routes[a][b])
    return std::nullopt;
  const TransferCost& cost = space.path(a, b).cost;
  return TransferFigures{cost.latency_s, cost.seconds_per_byte};
}

std::optional<TransferFigures> from_source(const SearchSpace& space, int slot)
{
  const auto& source = space.problem.source;
  return source ? figures(space, *source, space.host(slot)) : TransferFigures{};
}

std::optional<TransferFigures> to_sink(const SearchSpace& space, int slot)
{
  const auto& sink = space.problem.sink;
  return sink ? figures(space, space.host(slot), *sink) : TransferFigures{};
}

DeviceTypes inapplicable(std::string reason)
{
  DeviceTypes types;
  types.reason = std::move(reason);
  return types;
}

// Group the slots by `type_of`, then check that every transfer costs what the first member pair of its types does.
DeviceTypes check(const SearchSpace& space, const std::vector<int>& type_of)
{
  DeviceTypes types;
  for (int slot = 0; slot < space.slots; ++slot) {
    if (type_of[slot] >= types.count())
      types.members.resize(type_of[slot] + 1);
    types.members[type_of[slot]].push_back(slot);
  }
  const int n       = types.count();
  const auto& hosts = space.problem.platform.hosts;
  std::vector<std::vector<std::optional<TransferFigures>>> between(n, std::vector<std::optional<TransferFigures>>(n));
  std::vector<std::optional<TransferFigures>> in(n), out(n);
  // Records what a member's transfer costs for its type; why not, when it has no route or differs from the type's.
  auto record = [&](std::optional<TransferFigures>& seen, const std::optional<TransferFigures>& now, int slot,
                    const char* what) -> std::string {
    const std::string& name = hosts[space.host(slot)].name;
    if (!now)
      return fmt::format("no route for {} {}", what, name);
    if (seen && *seen != *now)
      return fmt::format("{} {} costs what it does not for the other devices of its type", what, name);
    seen = now;
    return "";
  };
  for (int a = 0; a < space.slots; ++a) {
    const int t = type_of[a];
    for (std::string reason : {record(in[t], from_source(space, a), a, "the input to"),
                               record(out[t], to_sink(space, a), a, "the output from")})
      if (!reason.empty())
        return inapplicable(reason);
    for (int b = 0; b < space.slots; ++b) {
      if (a == b)
        continue;
      const auto now = figures(space, space.host(a), space.host(b));
      if (!now)
        return inapplicable(
            fmt::format("no route from {} to {}", hosts[space.host(a)].name, hosts[space.host(b)].name));
      auto& seen = between[t][type_of[b]];
      if (seen && *seen != *now)
        return inapplicable(fmt::format("the route from {} to {} differs from others between their types",
                                        hosts[space.host(a)].name, hosts[space.host(b)].name));
      seen = now;
    }
  }
  types.between.assign(n, std::vector<TransferFigures>(n));
  for (int t = 0; t < n; ++t) {
    types.from_source.push_back(*in[t]);
    types.to_sink.push_back(*out[t]);
    for (int u = 0; u < n; ++u)
      types.between[t][u] = between[t][u].value_or(TransferFigures{}); // unset: a type of one device to itself
  }
  return types;
}

// Slots of equal figures share a type; the source and the sink are types of their own.
std::vector<int> by_figures(const SearchSpace& space)
{
  const Problem& p = space.problem;
  auto pinned      = [&](int host) { return host == p.source || host == p.sink; };
  std::vector<int> type_of(space.slots, -1), first_of_type;
  for (int slot = 0; slot < space.slots; ++slot) {
    for (size_t t = 0; t < first_of_type.size() && type_of[slot] < 0; ++t) {
      const int other = space.host(first_of_type[t]);
      if (!pinned(space.host(slot)) && !pinned(other) && same_device_figures(p.host(space.host(slot)), p.host(other)))
        type_of[slot] = static_cast<int>(t);
    }
    if (type_of[slot] < 0) {
      type_of[slot] = static_cast<int>(first_of_type.size());
      first_of_type.push_back(slot);
    }
  }
  return type_of;
}

} // namespace

DeviceTypes device_types(const SearchSpace& space)
{
  DeviceTypes types = check(space, by_figures(space));
  if (types.reason.empty())
    return types;
  std::vector<int> classes(space.slots);
  for (int slot = 0; slot < space.slots; ++slot)
    classes[slot] = space.symmetry_class(slot);
  return check(space, classes);
}

} // namespace pipesplit::solver
