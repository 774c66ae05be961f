#include "tests/support/run_command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace pipesplit::test {

namespace {

// A file for one stream of the child, removed when done.
class Capture {
public:
  Capture()
  {
    std::string pattern = "/tmp/pipesplit_capture_XXXXXX";
    fd_                 = mkstemp(pattern.data());
    if (fd_ < 0)
      throw std::runtime_error("mkstemp failed");
    path_ = pattern;
  }
  ~Capture()
  {
    close(fd_);
    unlink(path_.c_str());
  }
  Capture(const Capture&)            = delete;
  Capture& operator=(const Capture&) = delete;
  int fd() const { return fd_; }
  std::string text() const
  {
    std::ifstream in(path_);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }

private:
  int fd_ = -1;
  std::string path_;
};

} // namespace

CommandOutput run_command(const std::vector<std::string>& arguments)
{
  std::vector<std::string> copies = arguments;
  std::vector<char*> argv;
  for (auto& argument : copies)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  Capture out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid      = -1;
  const int fail = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (fail != 0)
    throw std::runtime_error("cannot start " + arguments.at(0));
  int status = 0;
  waitpid(pid, &status, 0);
  CommandOutput result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out       = out.text();
  result.err       = err.text();
  return result;
}

int spawn_quietly(std::vector<std::string> arguments)
{
  std::vector<char*> argv;
  for (auto& argument : arguments)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

} // namespace pipesplit::test
