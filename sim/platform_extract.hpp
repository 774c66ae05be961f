#pragma once
// Part of the SimGrid module (sim/simgrid_module.hpp): a loaded platform's plain-data view (hosts, links, routes).

#include "core/platform.hpp"
#include "sim/child_process.hpp"
#include "sim/layer.hpp"

#include <string>

namespace pipesplit::sim {

// Loads the platform into this process's engine, which must already exist and have no platform yet, and returns its
// view. `announce`, when given, hears each host pair before its route is looked up, and an empty note when all are
// known.
Platform extract_platform_view(const std::string& path, const Progress& announce = {});

} // namespace pipesplit::sim
