#include "core/worker_pool.hpp"

#include <fmt/format.h>

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace pipesplit::core {

namespace {

bool write_all(int fd, const char* data, size_t size)
{
  size_t done = 0;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Messages are framed by their length (8 bytes, native order: both ends are this program), so they may hold anything.
void send_message(int fd, const std::string& message)
{
  const uint64_t size = message.size();
  if (!write_all(fd, reinterpret_cast<const char*>(&size), sizeof size) || !write_all(fd, message.data(), size))
    _exit(static_cast<int>(ExitStatus::Bug));
}

[[noreturn]] void run_child(int worker, const WorkerPool::Work& work, int message_fd, int error_fd)
{
  prctl(PR_SET_PDEATHSIG, SIGTERM); // die with the parent, never orphaned
  // None of the parent's crash handlers (a test framework's, a sanitizer's) run in the child: a crash ends it by its
  // signal, the same in every build, and the parent reports it. SimGrid installs its own only over default handlers.
  for (const int fatal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    signal(fatal, SIG_DFL);
  dup2(error_fd, STDERR_FILENO);
  close(error_fd);
  int code = 0;
  try {
    work(worker, [message_fd](const std::string& message) { send_message(message_fd, message); });
  } catch (const std::exception& e) {
    const std::string what = std::string(e.what()) + "\n";
    write_all(STDERR_FILENO, what.data(), what.size());
    code = static_cast<int>(status_of(e));
  }
  std::fflush(nullptr);
  _exit(code);
}

std::string trimmed(std::string text)
{
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

} // namespace

void WorkerExit::rethrow() const
{
  if (ok())
    throw std::logic_error("WorkerExit::rethrow on a worker that succeeded");
  if (signalled)
    throw SimulationFailure(fmt::format("a worker process was killed ({})", trimmed(diagnostics)));
  const auto status = exit_status_from_code(code);
  rethrow_as(status.value_or(ExitStatus::Bug), trimmed(diagnostics));
}

WorkerPool::WorkerPool(int workers, const Work& work)
{
  std::fflush(nullptr); // nothing buffered may be written twice
  for (int w = 0; w < workers; ++w) {
    int message_pipe[2];
    int error_pipe[2];
    if (pipe(message_pipe) != 0)
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (pipe(error_pipe) != 0) {
      close(message_pipe[0]);
      close(message_pipe[1]);
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {message_pipe[0], message_pipe[1], error_pipe[0], error_pipe[1]})
        close(fd);
      throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
      close(message_pipe[0]);
      close(error_pipe[0]);
      for (const Child& sibling : children_) { // not ours to hold open
        close(sibling.message_fd);
        close(sibling.error_fd);
      }
      run_child(w, work, message_pipe[1], error_pipe[1]);
    }
    close(message_pipe[1]);
    close(error_pipe[1]);
    children_.push_back(Child{pid, message_pipe[0], error_pipe[0], "", {}});
  }
}

WorkerPool::~WorkerPool()
{
  terminate_all();
  for (Child& child : children_)
    reap(child);
}

void WorkerPool::terminate_all()
{
  for (const Child& child : children_)
    if (child.pid > 0)
      kill(child.pid, SIGTERM);
}

void WorkerPool::reap(Child& child)
{
  for (int* fd : {&child.message_fd, &child.error_fd})
    if (*fd >= 0) {
      close(*fd);
      *fd = -1;
    }
  if (child.pid <= 0)
    return;
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  child.exit.signalled = WIFSIGNALED(status);
  child.exit.code      = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  child.pid            = -1;
}

// Every pipe still open, with its child and whether it is the child's stderr.
std::vector<WorkerPool::Watch> WorkerPool::watches() const
{
  std::vector<Watch> out;
  for (size_t c = 0; c < children_.size(); ++c) {
    if (children_[c].message_fd >= 0)
      out.push_back({pollfd{children_[c].message_fd, POLLIN, 0}, c, false});
    if (children_[c].error_fd >= 0)
      out.push_back({pollfd{children_[c].error_fd, POLLIN, 0}, c, true});
  }
  return out;
}

// Read what `watch`'s pipe holds: stderr text, or whole messages handed to on_message. At the end of a child's last
// pipe, reap it; the first to fail ends the others.
void WorkerPool::drain(const Watch& watch, const OnMessage& on_message)
{
  Child& child = children_[watch.child];
  int& fd      = watch.is_error ? child.error_fd : child.message_fd;
  char buffer[65536];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0 && errno == EINTR)
    return;
  if (n <= 0) {
    close(fd);
    fd = -1;
    if (child.message_fd < 0 && child.error_fd < 0) {
      reap(child);
      if (!child.exit.ok() && first_failure_ < 0) { // one failed: the others' work is moot
        first_failure_ = static_cast<int>(watch.child);
        terminate_all();
      }
    }
    return;
  }
  if (watch.is_error) {
    child.exit.diagnostics.append(buffer, static_cast<size_t>(n));
    return;
  }
  child.data.append(buffer, static_cast<size_t>(n));
  uint64_t size = 0;
  while (child.data.size() >= sizeof size) {
    std::memcpy(&size, child.data.data(), sizeof size);
    if (child.data.size() < sizeof size + size)
      break;
    const std::string message = child.data.substr(sizeof size, size);
    child.data.erase(0, sizeof size + size);
    on_message(static_cast<int>(watch.child), message);
  }
}

std::vector<WorkerExit> WorkerPool::wait(const OnMessage& on_message)
{
  for (auto open = watches(); !open.empty(); open = watches()) {
    std::vector<pollfd> fds;
    for (const Watch& watch : open)
      fds.push_back(watch.fd);
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR)
        continue;
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    for (size_t i = 0; i < fds.size(); ++i)
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
        drain(open[i], on_message);
  }
  std::vector<WorkerExit> exits;
  for (const Child& child : children_)
    exits.push_back(child.exit);
  return exits;
}

} // namespace pipesplit::core
