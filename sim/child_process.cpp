#include "child_process.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace pipesplit::sim {

static void write_all(int fd, const std::string& data)
{
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<size_t>(n);
  }
}

ChildResult run_in_child(const std::function<std::string()>& work)
{
  int data_pipe[2];
  int error_pipe[2];
  if (pipe(data_pipe) != 0 || pipe(error_pipe) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(data_pipe[0]);
    close(error_pipe[0]);
    dup2(error_pipe[1], STDERR_FILENO);
    int code = 0;
    try {
      write_all(data_pipe[1], work());
    } catch (const std::exception& e) {
      write_all(STDERR_FILENO, std::string(e.what()) + "\n");
      code = 2;
    }
    std::fflush(nullptr);
    _exit(code);
  }
  close(data_pipe[1]);
  close(error_pipe[1]);
  ChildResult result;
  std::array<pollfd, 2> fds{pollfd{data_pipe[0], POLLIN, 0}, pollfd{error_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.payload, &result.diagnostics};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exited_normally = WIFEXITED(status);
  result.exit_code       = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string simgrid_complaint(const std::string& diagnostics)
{
  std::istringstream lines(diagnostics);
  std::string line;
  std::string complaint;
  while (std::getline(lines, line)) {
    if (line.find("Backtrace") != std::string::npos || line.find("->") != std::string::npos ||
        line.find("Exiting now") != std::string::npos)
      continue;
    // "[0.000000] ./src/file.cpp:12: [category/LEVEL] text": keep the text
    const auto level       = line.find("] ", line.find("] ") + 1);
    const std::string text = level == std::string::npos ? line : line.substr(level + 2);
    if (!text.empty())
      complaint += (complaint.empty() ? "" : "; ") + text;
  }
  return complaint.empty() ? "no message" : complaint;
}

} // namespace pipesplit::sim
