#pragma once
// Load a SimGrid platform file and turn it into the solver's plain-data view (hosts, links, routes).

#include "core/platform.hpp"
#include "sim/layer.hpp"

#include <string>

namespace pipesplit::sim {

// Loads in a child process (SimGrid aborts on many platform errors and allows one engine per process), or takes the
// view SimGrid gave of the same bytes before from the user's cache (sim/platform_cache.hpp), without SimGrid.
// Throws InputError naming the file and, where SimGrid or we know it, the line and element.
Platform load_platform_view(const std::string& path);

} // namespace pipesplit::sim
