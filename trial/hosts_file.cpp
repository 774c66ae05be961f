#include "trial/hosts_file.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"

#include <fmt/format.h>

namespace pipesplit::trial {

static int port_number(const YamlField& field, const std::string& text)
{
  try {
    size_t used    = 0;
    const int port = std::stoi(text, &used);
    if (used == text.size() && port > 0 && port < 65536)
      return port;
  } catch (const std::exception&) {
    // reported below
  }
  field.fail(fmt::format("'{}' is not a port number (1-65535)", text));
}

HostsFile read_hosts_file(const std::string& path, const Platform& platform)
{
  const YamlField root = YamlField::load_file(path);
  root.expect_keys({"format", "controller", "sink_port", "hosts"});
  root.expect_format("pipesplit-hosts/1");
  HostsFile hosts;
  hosts.file       = path;
  hosts.controller = root["controller"].as_string();
  if (root.has("sink_port"))
    hosts.sink_port = port_number(root["sink_port"], root["sink_port"].as_string());
  const YamlField entries = root["hosts"];
  for (const auto& name : entries.keys()) {
    const YamlField entry  = entries[name];
    const std::string text = entry.as_string();
    const auto colon       = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
      entry.fail(fmt::format("'{}' is not ADDRESS:PORT", text));
    const int host      = platform.host_index(name, entry.where());
    hosts.workers[host] = {text.substr(0, colon), port_number(entry, text.substr(colon + 1))};
  }
  return hosts;
}

TrialLayout boards_layout(const HostsFile& hosts, const Placement& placement, const Platform& platform)
{
  TrialLayout layout;
  std::map<int, int> stage_of_host;
  for (size_t s = 0; s < placement.stages.size(); ++s) {
    const int host = placement.stages[s].device;
    const auto it  = hosts.workers.find(host);
    if (it == hosts.workers.end())
      throw InputError(hosts.file, "hosts",
                       fmt::format("stage {} runs on {}, which has no worker", s, platform.hosts[host].name));
    if (!stage_of_host.emplace(host, static_cast<int>(s)).second)
      throw InputError(hosts.file, "hosts",
                       fmt::format("stages {} and {} share {}: a board serves one stage", stage_of_host[host], s,
                                   platform.hosts[host].name));
    layout.control.push_back({"", it->second.first, it->second.second});
    layout.data_address.push_back(it->second.first);
    layout.data_port.push_back(it->second.second);
  }
  layout.sink = {"", hosts.controller, hosts.sink_port};
  return layout;
}

} // namespace pipesplit::trial
