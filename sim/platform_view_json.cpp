#include "sim/platform_view_json.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pipesplit::sim {

using nlohmann::json;

// Numbers separated by `separator`, each finite and >= 0; nullopt otherwise.
static std::optional<std::vector<double>> watts(const std::string& text, char separator)
{
  std::vector<double> out;
  size_t from = 0;
  while (true) {
    const size_t to   = text.find(separator, from);
    const auto number = parse_number(text.substr(from, to == std::string::npos ? std::string::npos : to - from));
    if (!number || *number < 0)
      return std::nullopt;
    out.push_back(*number);
    if (to == std::string::npos)
      return out;
    from = to + 1;
  }
}

static std::vector<PowerState> power_states(const std::string& file, const std::string& field, const std::string& value,
                                            size_t pstates)
{
  std::vector<PowerState> states;
  size_t from = 0;
  while (from <= value.size()) {
    const size_t to         = std::min(value.find(',', from), value.size());
    const std::string state = value.substr(from, to - from);
    const auto figures      = watts(state, ':');
    if (!figures || figures->size() < 2 || figures->size() > 3)
      throw InputError(file, field,
                       fmt::format("'{}' is not 'Idle:AllCores' or 'Idle:Epsilon:AllCores' (watts >= 0)", state));
    const auto& w = *figures;
    states.push_back(w.size() == 2 ? PowerState{w[0], w[0], w[1]} : PowerState{w[0], w[1], w[2]});
    from = to + 1;
  }
  if (states.size() != pstates)
    throw InputError(
        file, field,
        fmt::format("{} power states for {} pstates (one per speed value, comma-separated)", states.size(), pstates));
  return states;
}

LinkPower link_power_from_property(const std::string& file, const std::string& link, const std::string& value)
{
  const auto figures = watts(value, ':');
  if (!figures || figures->size() != 2)
    throw InputError(file, "link " + link + " property wattage_range",
                     fmt::format("'{}' is not 'Idle:Busy' (watts >= 0)", value));
  return LinkPower{(*figures)[0], (*figures)[1]};
}

// The properties of the energy plugin and the device's cost.
static bool energy_property(const std::string& file, const std::string& field, const std::string& key,
                            const std::string& value, HostInfo& info)
{
  if (key == "wattage_per_state") {
    info.power = power_states(file, field, value, info.pstate_speeds.size());
  } else if (key == "wattage_off" || key == "cost") {
    const auto number = parse_number(value);
    if (!number || *number < 0)
      throw InputError(file, field, fmt::format("'{}' is not a number >= 0", value));
    (key == "cost" ? info.cost : info.wattage_off_W) = *number;
  } else {
    return false;
  }
  return true;
}

HostInfo host_from_properties(const std::string& file, const std::string& name, int cores,
                              const std::vector<double>& pstate_speeds, int pstate,
                              const std::map<std::string, std::string>& properties)
{
  HostInfo info;
  info.name          = name;
  info.cores         = cores;
  info.pstate_speeds = pstate_speeds;
  if (pstate_speeds.empty() || pstate < 0 || pstate >= static_cast<int>(pstate_speeds.size()))
    throw InputError(file, "host " + name + " speed",
                     fmt::format("pstate {} of {} speeds", pstate, pstate_speeds.size()));
  info.pstate           = pstate;
  info.core_speed_flops = pstate_speeds[pstate];
  for (const auto& [key, value] : properties) {
    const std::string field = "host " + name + " property " + key;
    if (energy_property(file, field, key, value, info))
      continue;
    if (key == "memory") {
      const auto bytes = parse_bytes(value);
      if (!bytes || *bytes < 0)
        throw InputError(file, field, fmt::format("'{}' is not an amount of bytes (e.g. 4GiB, 8GB, 1e9)", value));
      info.memory_bytes = *bytes;
    } else if (key == "profile") {
      info.profile = value;
    }
    for (auto [prefix, target] : {std::pair{std::string("parallel_fraction."), &info.parallel_fraction},
                                  std::pair{std::string("op_efficiency."), &info.op_efficiency}}) {
      if (key.rfind(prefix, 0) != 0)
        continue;
      const auto number = parse_number(value);
      if (!number)
        throw InputError(file, field, fmt::format("'{}' is not a number", value));
      (*target)[key.substr(prefix.size())] = *number;
    }
  }
  return info;
}

static std::string exact(double value)
{
  return fmt::format("{:.17g}", value);
}

std::string platform_view_to_json(const Platform& view)
{
  json out;
  out["hosts"] = json::array();
  for (const auto& h : view.hosts) {
    std::map<std::string, std::string> properties{{"memory", exact(h.memory_bytes)}};
    if (!h.profile.empty())
      properties["profile"] = h.profile;
    for (const auto& [op, fraction] : h.parallel_fraction)
      properties["parallel_fraction." + op] = exact(fraction);
    for (const auto& [op, efficiency] : h.op_efficiency)
      properties["op_efficiency." + op] = exact(efficiency);
    if (h.has_power()) {
      std::string states;
      for (const auto& p : h.power)
        states += fmt::format("{}{}:{}:{}", states.empty() ? "" : ",", exact(p.idle_W), exact(p.epsilon_W),
                              exact(p.all_cores_W));
      properties["wattage_per_state"] = states;
    }
    properties["wattage_off"] = exact(h.wattage_off_W);
    properties["cost"]        = exact(h.cost);
    out["hosts"].push_back({{"name", h.name},
                            {"cores", h.cores},
                            {"speed", h.core_speed_flops},
                            {"speeds", h.pstate_speeds},
                            {"pstate", h.pstate},
                            {"properties", properties}});
  }
  out["links"] = json::array();
  for (const auto& l : view.links) {
    json link = {{"name", l.name},
                 {"bandwidth", l.bandwidth_Bps},
                 {"latency", l.latency_s},
                 {"fatpipe", l.sharing == Sharing::FatPipe}};
    if (l.power)
      link["wattage_range"] = exact(l.power->idle_W) + ":" + exact(l.power->busy_W);
    out["links"].push_back(link);
  }
  out["routes"] = json::array();
  for (size_t a = 0; a < view.routes.size(); ++a)
    for (size_t b = 0; b < view.routes[a].size(); ++b)
      if (view.routes[a][b])
        out["routes"].push_back({{"src", a}, {"dst", b}, {"links", view.routes[a][b]->links}});
  return out.dump();
}

// An index into `size` items, or an InputError.
static size_t index_in(const json& value, size_t size, const std::string& path, const std::string& what)
{
  if (!value.is_number_unsigned() || value.get<size_t>() >= size)
    throw InputError(path, what, fmt::format("{} is no index of the {} there are", value.dump(), size));
  return value.get<size_t>();
}

// A host's core count: an integer within [1, 1e6] (a float would not convert to int safely).
static int core_count(const json& value, const std::string& path)
{
  if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 1'000'000)
    throw InputError(path, "host cores", fmt::format("{} is not a core count", value.dump()));
  return static_cast<int>(value.get<int64_t>());
}

static Platform view_of(const json& in, const std::string& path)
{
  Platform view;
  view.file = path;
  for (const auto& h : in.at("hosts"))
    view.hosts.push_back(host_from_properties(
        path, h.at("name"), core_count(h.at("cores"), path),
        h.contains("speeds") ? h.at("speeds").get<std::vector<double>>() : std::vector<double>{h.at("speed")},
        h.value("pstate", 0), h.at("properties").get<std::map<std::string, std::string>>()));
  for (const auto& l : in.at("links")) {
    view.links.push_back({l.at("name"), l.at("bandwidth"), l.at("latency"),
                          l.at("fatpipe").get<bool>() ? Sharing::FatPipe : Sharing::Shared});
    if (l.contains("wattage_range"))
      view.links.back().power = link_power_from_property(path, l.at("name"), l.at("wattage_range"));
  }
  view.routes.assign(view.hosts.size(), std::vector<std::optional<Route>>(view.hosts.size()));
  for (const auto& r : in.at("routes")) {
    const size_t src = index_in(r.at("src"), view.hosts.size(), path, "route src");
    const size_t dst = index_in(r.at("dst"), view.hosts.size(), path, "route dst");
    Route route;
    for (const auto& link : r.at("links"))
      route.links.push_back(static_cast<int>(index_in(link, view.links.size(), path, "route link")));
    view.routes[src][dst] = route;
  }
  view.finalize();
  return view;
}

Platform platform_view_from_json(const std::string& text, const std::string& path)
{
  try {
    return view_of(json::parse(text), path);
  } catch (const json::exception& e) {
    throw InputError(path, "", std::string("malformed platform view: ") + e.what());
  }
}

} // namespace pipesplit::sim
