#pragma once
// Runs a program (pipesplit, as a user would) with an argument vector, no shell, and collects what it printed.

#include <string>
#include <vector>

namespace pipesplit::test {

struct CommandOutput {
  int exit_code = -1; // -1: killed by a signal
  std::string out;
  std::string err;
};

CommandOutput run_command(const std::vector<std::string>& arguments);

// Starts a program in the background, its output to /dev/null; returns its pid (-1 when it cannot start).
int spawn_quietly(std::vector<std::string> arguments);

} // namespace pipesplit::test
