#pragma once
// The version of the SimGrid library pipesplit runs with (which may differ from the headers it was built against).

#include "core/provenance.hpp"
#include "sim/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::sim {

std::string simgrid_version(); // "3.32.0"

// What made an output (core/provenance.hpp), SimGrid's version included.
Provenance simulation_provenance(const std::vector<std::string>& command_line, std::vector<InputFile> inputs);

} // namespace pipesplit::sim
