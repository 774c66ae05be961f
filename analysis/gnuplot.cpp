#include "analysis/gnuplot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace pipesplit::analysis {

namespace {

// gnuplot's stderr (its complaints), read until it closes.
std::string read_all(int fd)
{
  std::string text;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

} // namespace

void run_gnuplot(const std::string& script)
{
  int err[2];
  if (pipe(err) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, err[0]);
  std::string program = "gnuplot";
  std::string path    = script;
  std::vector<char*> argv{program.data(), path.data(), nullptr}; // an argument vector: no shell reads the path
  pid_t pid         = -1;
  const int spawned = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(err[1]);
  if (spawned != 0) {
    close(err[0]);
    throw std::runtime_error("cannot run gnuplot (install gnuplot-nox): " + std::string(std::strerror(spawned)));
  }
  const std::string output = read_all(err[0]);
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("gnuplot failed on " + script + (output.empty() ? "" : ": " + output));
}

std::string gnuplot_string(const std::string& text)
{
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'')
      quoted += "''";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      quoted += ' ';
    else
      quoted += c;
  }
  return quoted + "'";
}

std::string gnuplot_output(const std::string& path)
{
  std::error_code error;
  if (std::filesystem::is_symlink(path, error))
    std::filesystem::remove(path, error);
  return gnuplot_string(path);
}

std::string gnuplot_data_string(const std::string& text)
{
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? '\'' : static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  return quoted + "\"";
}

} // namespace pipesplit::analysis
