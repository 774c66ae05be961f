#pragma once
// Running the kernel's administration tools (ip, tc) for the emulated testbed: the program and its arguments are
// passed as an argument vector to posix_spawnp, never through a shell, and every argument is made by pipesplit
// (names it chose, numbers it computed), never copied from an input file.

#include "trial/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::trial {

struct ToolResult {
  int exit_code = 0;  // -1 when killed by a signal
  std::string output; // stdout and stderr together
};

// Runs argv[0] (searched in PATH, then /usr/sbin and /sbin) and waits for it.
ToolResult run_tool(const std::vector<std::string>& argv);

// The same, throwing std::runtime_error with the command and its output when it fails.
std::string run_tool_checked(const std::vector<std::string>& argv);

} // namespace pipesplit::trial
