#pragma once
// The version of the SimGrid library pipesplit runs with (which may differ from the headers it was built against).

#include <string>

namespace pipesplit::sim {

std::string simgrid_version(); // "3.32.0"

} // namespace pipesplit::sim
