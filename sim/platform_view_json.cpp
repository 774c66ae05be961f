#include "sim/platform_view_json.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pipesplit::sim {

using nlohmann::json;

HostInfo host_from_properties(const std::string& file, const std::string& name, int cores, double speed_flops,
                              const std::map<std::string, std::string>& properties)
{
  HostInfo info;
  info.name             = name;
  info.cores            = cores;
  info.core_speed_flops = speed_flops;
  for (const auto& [key, value] : properties) {
    const std::string field = "host " + name + " property " + key;
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
    out["hosts"].push_back(
        {{"name", h.name}, {"cores", h.cores}, {"speed", h.core_speed_flops}, {"properties", properties}});
  }
  out["links"] = json::array();
  for (const auto& l : view.links)
    out["links"].push_back({{"name", l.name},
                            {"bandwidth", l.bandwidth_Bps},
                            {"latency", l.latency_s},
                            {"fatpipe", l.sharing == Sharing::FatPipe}});
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
    view.hosts.push_back(host_from_properties(path, h.at("name"), core_count(h.at("cores"), path), h.at("speed"),
                                              h.at("properties").get<std::map<std::string, std::string>>()));
  for (const auto& l : in.at("links"))
    view.links.push_back({l.at("name"), l.at("bandwidth"), l.at("latency"),
                          l.at("fatpipe").get<bool>() ? Sharing::FatPipe : Sharing::Shared});
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
