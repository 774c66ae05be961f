#include "sim/platform_loader.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "sim/child_process.hpp"
#include "sim/engine_arguments.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simgrid/s4u.hpp>

#include <filesystem>
#include <sstream>

namespace sg4 = simgrid::s4u;
using nlohmann::json;

namespace pipesplit::sim {

static HostInfo host_info(const std::string& file, const sg4::Host& host)
{
  HostInfo info;
  info.name             = host.get_name();
  info.cores            = host.get_core_count();
  info.core_speed_flops = host.get_speed();
  if (const char* memory = host.get_property("memory")) {
    const auto bytes = parse_bytes(memory);
    if (!bytes || *bytes < 0)
      throw InputError(file, "host " + info.name + " property memory",
                       fmt::format("'{}' is not an amount of bytes (e.g. 4GiB, 8GB, 1e9)", memory));
    info.memory_bytes = *bytes;
  }
  if (const char* profile = host.get_property("profile"))
    info.profile = profile;
  for (const auto& [key, value] : *host.get_properties())
    for (auto [prefix, target] : {std::pair{std::string("parallel_fraction."), &info.parallel_fraction},
                                  std::pair{std::string("op_efficiency."), &info.op_efficiency}}) {
      if (key.rfind(prefix, 0) != 0)
        continue;
      const auto number = parse_number(value);
      if (!number)
        throw InputError(file, "host " + info.name + " property " + key, fmt::format("'{}' is not a number", value));
      (*target)[key.substr(prefix.size())] = *number;
    }
  return info;
}

static LinkInfo link_info(const std::string& file, const sg4::Link& link)
{
  LinkInfo info;
  info.name          = link.get_name();
  info.bandwidth_Bps = link.get_bandwidth();
  info.latency_s     = link.get_latency();
  switch (link.get_sharing_policy()) {
  case sg4::Link::SharingPolicy::FATPIPE:
    info.sharing = Sharing::FatPipe;
    break;
  case sg4::Link::SharingPolicy::SHARED:
  case sg4::Link::SharingPolicy::SPLITDUPLEX: // its two halves are SHARED links of their own
    info.sharing = Sharing::Shared;
    break;
  default:
    throw InputError(file, "link " + info.name + " sharing_policy",
                     "only SHARED, SPLITDUPLEX and FATPIPE links are supported (model a WiFi cell as a SHARED link "
                     "that station-to-station routes cross twice, as platforms/pi4_wifi.xml does)");
  }
  return info;
}

Platform extract_platform_view(const std::string& path)
{
  auto* engine = sg4::Engine::get_instance();
  engine->load_platform(path);
  Platform view;
  view.file = path;
  std::map<std::string, int> link_index;
  for (const auto* link : engine->get_all_links()) {
    if (link->get_name() == "__loopback__")
      continue;
    link_index[link->get_name()] = static_cast<int>(view.links.size());
    view.links.push_back(link_info(path, *link));
  }
  const auto hosts = engine->get_all_hosts();
  for (const auto* host : hosts)
    view.hosts.push_back(host_info(path, *host));
  view.routes.assign(hosts.size(), std::vector<std::optional<Route>>(hosts.size()));
  for (size_t a = 0; a < hosts.size(); ++a)
    for (size_t b = 0; b < hosts.size(); ++b) {
      if (a == b)
        continue;
      std::vector<sg4::Link*> links;
      double latency = 0;
      hosts[a]->route_to(hosts[b], links, &latency);
      Route route;
      for (const auto* link : links)
        route.links.push_back(link_index.at(link->get_name()));
      view.routes[a][b] = route;
    }
  view.finalize();
  return view;
}

static std::string view_to_json(const Platform& view)
{
  json out;
  for (const auto& h : view.hosts)
    out["hosts"].push_back({{"name", h.name},
                            {"cores", h.cores},
                            {"speed", h.core_speed_flops},
                            {"memory", h.memory_bytes},
                            {"profile", h.profile},
                            {"parallel_fraction", h.parallel_fraction},
                            {"op_efficiency", h.op_efficiency}});
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

static Platform view_from_json(const std::string& text, const std::string& path)
{
  const json in = json::parse(text);
  Platform view;
  view.file = path;
  for (const auto& h : in.at("hosts"))
    view.hosts.push_back({h.at("name"), h.at("cores"), h.at("speed"), h.at("memory"), h.at("profile"),
                          h.at("parallel_fraction").get<std::map<std::string, double>>(),
                          h.at("op_efficiency").get<std::map<std::string, double>>()});
  for (const auto& l : in.at("links"))
    view.links.push_back({l.at("name"), l.at("bandwidth"), l.at("latency"),
                          l.at("fatpipe").get<bool>() ? Sharing::FatPipe : Sharing::Shared});
  view.routes.assign(view.hosts.size(), std::vector<std::optional<Route>>(view.hosts.size()));
  for (const auto& r : in.at("routes"))
    view.routes.at(r.at("src").get<size_t>()).at(r.at("dst").get<size_t>()) =
        Route{r.at("links").get<std::vector<int>>(), 0, 0};
  view.finalize();
  return view;
}

Platform load_platform_view(const std::string& path)
{
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path, "", "no such platform file");
  const ChildResult child = run_in_child([&] {
    xbt_log_control_set("root.thres:error");
    EngineArguments arguments;
    sg4::Engine engine(arguments.argc(), arguments.argv());
    try {
      return view_to_json(extract_platform_view(path));
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) { // simgrid::ParseError and friends
      throw InputError(path, "", e.what());
    }
  });
  if (child.exit.ok())
    return view_from_json(child.payload, path);
  if (child.exit.signalled)
    throw InputError(path, "", "SimGrid rejected the platform: " + simgrid_complaint(child.exit.diagnostics));
  child.exit.rethrow();
}

} // namespace pipesplit::sim
