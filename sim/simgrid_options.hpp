#pragma once
// SimGrid's own command-line options, passed through by `simulate` and `run`: configuration items (--cfg=ITEM:VALUE)
// checked before any work starts, since SimGrid aborts on an unknown one, and its --help-cfg and --help-logs.

#include "sim/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::sim {

// Throws InputError("command line", "--cfg", SimGrid's words) when SimGrid refuses one of the items.
void check_configuration(const std::vector<std::string>& items);

// SimGrid's help for "--help-cfg" (every configuration item with its current value: SimGrid 3.32 gives it for its own
// --help) or "--help-logs", on stdout.
void print_simgrid_help(const std::string& flag);

} // namespace pipesplit::sim
