#pragma once
// The version of the SimGrid library pipesplit runs with (which may differ from the headers it was built against).

#include "core/provenance.hpp"
#include "sim/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::sim {

// "3.32.0": asked of the SimGrid module (sim/simgrid_module.hpp) once per build of it, and remembered in the user's
// cache (sim/platform_cache.hpp) so that a command that writes provenance need not load SimGrid.
std::string simgrid_version();

// What made an output (core/provenance.hpp), SimGrid's version included.
Provenance simulation_provenance(const std::vector<std::string>& command_line, std::vector<InputFile> inputs);

} // namespace pipesplit::sim
