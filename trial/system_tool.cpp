#include "trial/system_tool.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace pipesplit::trial {

// ip and tc live in /usr/sbin, which a non-login root shell may not have in PATH.
static std::string locate(const std::string& program)
{
  for (const char* folder : {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
    const auto candidate = std::filesystem::path(folder) / program;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return program;
}

ToolResult run_tool(const std::vector<std::string>& argv)
{
  std::array<int, 2> pipe_fds{};
  if (pipe(pipe_fds.data()) != 0)
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string program = locate(argv.at(0));
  pid_t pid                 = -1;
  const int spawn_error     = posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  ToolResult result;
  if (spawn_error != 0) {
    close(pipe_fds[0]);
    throw std::runtime_error(fmt::format("cannot start {}: {}", program, std::strerror(spawn_error)));
  }
  std::array<char, 4096> buffer{};
  for (ssize_t n; (n = read(pipe_fds[0], buffer.data(), buffer.size())) != 0;) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    result.output.append(buffer.data(), static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string run_tool_checked(const std::vector<std::string>& argv)
{
  auto result = run_tool(argv);
  if (result.exit_code != 0)
    throw std::runtime_error(
        fmt::format("`{}` failed ({}): {}", fmt::join(argv, " "), result.exit_code, result.output));
  return result.output;
}

} // namespace pipesplit::trial
