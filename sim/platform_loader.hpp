#pragma once
// Load a SimGrid platform file and turn it into the solver's plain-data view (hosts, links, routes).

#include "core/platform.hpp"
#include "sim/child_process.hpp"
#include "sim/layer.hpp"

#include <string>

namespace pipesplit::sim {

// Loads in a child process (SimGrid aborts on many platform errors and allows one engine per process).
// Throws InputError naming the file and, where SimGrid or we know it, the line and element.
Platform load_platform_view(const std::string& path);

// The same, in this process, with an engine that must already exist and have no platform yet (the simulator uses
// it, so the view and the simulated platform are the same objects). `announce`, when given, hears each host pair
// before its route is looked up, and an empty note when all are known.
Platform extract_platform_view(const std::string& path, const Progress& announce = {});

} // namespace pipesplit::sim
