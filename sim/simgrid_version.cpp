#include "sim/simgrid_version.hpp"

#include "sim/platform_cache.hpp"
#include "sim/simgrid_module.hpp"

#include <regex>

namespace pipesplit::sim {

std::string simgrid_version()
{
  // The module's answer, remembered in the cache of platform views under a key of its own (the same producer: a
  // rebuilt module is asked again), so that a command writing provenance need not load SimGrid for it.
  static const std::string version = [] {
    const std::string producer    = platform_view_producer();
    const PlatformViewCache cache = producer.empty() ? PlatformViewCache("") : PlatformViewCache::of_user();
    const std::string key         = platform_view_key("the SimGrid version of the module", producer);
    const std::regex version_number(R"(\d+\.\d+\.\d+)");
    if (const auto cached = cache.find(key); cached && std::regex_match(*cached, version_number))
      return *cached;
    const std::string asked = simgrid_module().version();
    cache.store(key, asked);
    return asked;
  }();
  return version;
}

Provenance simulation_provenance(const std::vector<std::string>& command_line, std::vector<InputFile> inputs)
{
  Provenance provenance;
  provenance.versions["simgrid"] = simgrid_version();
  provenance.command_line        = command_line;
  provenance.inputs              = std::move(inputs);
  return provenance;
}

} // namespace pipesplit::sim
