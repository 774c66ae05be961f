#pragma once
// Work done in forked child processes: sweep points over several workers, and each SimGrid replay on its own
// (SimGrid keeps one engine per process and aborts on many errors; a child keeps the parent alive and clean).
// A worker sends messages to the parent as it goes; what it writes on stderr is kept. A worker dies with its
// parent; the pool terminates and reaps whatever still runs when it is destroyed. A failure escaping a worker keeps
// its class across the process boundary: the worker exits with the failure's exit status (error.hpp).

#include "core/error.hpp"

#include <poll.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace pipesplit::core {

struct WorkerExit {
  bool signalled = false;  // killed by a signal (an abort, or terminated after another worker failed)
  int code       = 0;      // the exit code otherwise: an ExitStatus
  std::string diagnostics; // what the worker wrote on stderr

  bool ok() const { return !signalled && code == 0; }
  // The worker's failure, thrown again in the parent with its class (InputError, SimulationFailure, ...); a signal
  // becomes a SimulationFailure. Call only when !ok().
  [[noreturn]] void rethrow() const;
};

class WorkerPool {
public:
  using Emit      = std::function<void(const std::string& message)>;
  using Work      = std::function<void(int worker, const Emit& emit)>;
  using OnMessage = std::function<void(int worker, const std::string& message)>;

  // Forks `workers` children, each running work(w, emit). Throws std::runtime_error when pipe or fork fails.
  WorkerPool(int workers, const Work& work);
  ~WorkerPool();
  WorkerPool(const WorkerPool&)            = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Hands every message to on_message as it arrives, until every worker has ended; when one fails, the others are
  // terminated. Returns how each ended, in worker order.
  std::vector<WorkerExit> wait(const OnMessage& on_message);
  // The worker whose failure ended the run (the others were then terminated), or -1.
  int first_failure() const { return first_failure_; }

private:
  struct Child {
    pid_t pid      = -1;
    int message_fd = -1;
    int error_fd   = -1;
    std::string data; // received, not yet a whole message
    WorkerExit exit;
  };
  struct Watch {
    pollfd fd;
    size_t child;
    bool is_error; // the child's stderr, else its messages
  };
  std::vector<Watch> watches() const;
  void drain(const Watch& watch, const OnMessage& on_message);
  void terminate_all();
  void reap(Child& child);

  std::vector<Child> children_;
  int first_failure_ = -1;
};

} // namespace pipesplit::core
