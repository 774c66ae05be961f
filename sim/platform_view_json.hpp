#pragma once
// The platform view as the loader's child process sends it to its parent (JSON), and the checks of a host's
// properties: the SimGrid-free half of the platform loader, so that a fuzzer can run it without an engine.

#include "core/platform.hpp"
#include "sim/layer.hpp"

#include <map>
#include <string>
#include <vector>

namespace pipesplit::sim {

// A host from what SimGrid knows of it (cores, the speed of every pstate, the current pstate) and its <prop>
// elements: memory (bytes with units), profile, per-op-type parallel_fraction.<op> and op_efficiency.<op> (numbers),
// cost (a number >= 0), and the energy plugin's wattage_per_state (one "Idle:Epsilon:AllCores" or "Idle:AllCores"
// per pstate, comma-separated) and wattage_off (W). Throws InputError naming `file`, the host and property.
HostInfo host_from_properties(const std::string& file, const std::string& name, int cores,
                              const std::vector<double>& pstate_speeds, int pstate,
                              const std::map<std::string, std::string>& properties);

// A link's wattage_range="IDLE:BUSY" (W), as the link energy plugin reads it. Throws InputError naming `file`.
LinkPower link_power_from_property(const std::string& file, const std::string& link, const std::string& value);

// Hosts travel as their properties (numbers written exactly), so the parent checks them again.
std::string platform_view_to_json(const Platform& view);
// Throws InputError naming `path` for anything but a well-formed view of consistent hosts, links and routes.
Platform platform_view_from_json(const std::string& text, const std::string& path);

} // namespace pipesplit::sim
