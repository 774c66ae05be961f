#include "sim/platform_extract.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "sim/platform_view_json.hpp"

#include <simgrid/s4u.hpp>

#include <map>

namespace sg4 = simgrid::s4u;

namespace pipesplit::sim {

static HostInfo host_info(const std::string& file, const sg4::Host& host)
{
  const auto* properties = host.get_properties();
  std::vector<double> speeds;
  for (unsigned long p = 0; p < host.get_pstate_count(); ++p)
    speeds.push_back(host.get_pstate_speed(p));
  return host_from_properties(file, host.get_name(), host.get_core_count(), speeds, static_cast<int>(host.get_pstate()),
                              std::map<std::string, std::string>(properties->begin(), properties->end()));
}

static LinkInfo link_info(const std::string& file, const sg4::Link& link)
{
  LinkInfo info;
  info.name          = link.get_name();
  info.bandwidth_Bps = link.get_bandwidth();
  info.latency_s     = link.get_latency();
  if (const char* wattage = link.get_property("wattage_range"))
    info.power = link_power_from_property(file, info.name, wattage);
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

Platform extract_platform_view(const std::string& path, const Progress& announce)
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
      // SimGrid 3.32 crashes on a route between zones that no zoneRoute joins (a null gateway), and Dijkstra zones
      // abort on a missing route in words that name no host: the pair is announced first, so the parent can name it.
      if (announce)
        announce(hosts[a]->get_name() + " to " + hosts[b]->get_name());
      std::vector<sg4::Link*> links;
      double latency = 0;
      hosts[a]->route_to(hosts[b], links, &latency);
      Route route;
      for (const auto* link : links)
        route.links.push_back(link_index.at(link->get_name()));
      view.routes[a][b] = route;
    }
  if (announce)
    announce("");
  view.finalize();
  return view;
}

} // namespace pipesplit::sim
