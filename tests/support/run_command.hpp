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

} // namespace pipesplit::test
