// Children die with their parent: killing `pipesplit simulate` (or a sweep) leaves no SimGrid child or worker
// running (core/worker_pool.hpp sets PR_SET_PDEATHSIG in every child).

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace {

// The children of `pid`, from /proc (every thread's list).
std::vector<pid_t> children_of(pid_t pid)
{
  std::vector<pid_t> out;
  const auto tasks = std::filesystem::path("/proc") / std::to_string(pid) / "task";
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream list(task.path() / "children");
    for (pid_t child; list >> child;)
      out.push_back(child);
  }
  return out;
}

bool alive(pid_t pid)
{
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  const auto state = line.substr(line.rfind(')') + 2, 1);
  return state != "Z" && state != "X";
}

pid_t spawn(std::vector<std::string> arguments)
{
  const pid_t pid = pipesplit::test::spawn_quietly(std::move(arguments));
  REQUIRE(pid > 0);
  return pid;
}

template <typename Condition>
bool within(std::chrono::seconds limit, Condition condition)
{
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

} // namespace

TEST_CASE("killing simulate kills its SimGrid child", "[processes]")
{
  const std::string data = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";
  const pid_t parent     = spawn({PIPESPLIT_BINARY, "simulate", data + "tiny.yaml", "--inferences", "100000000"});
  // The platform is loaded in a short-lived child first; the replay's child then runs 1e8 inferences (minutes).
  std::vector<pid_t> children;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  REQUIRE(within(std::chrono::seconds(30), [&] { return !(children = children_of(parent)).empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (pid_t child : children)
    REQUIRE(alive(child)); // the replay, still running
  kill(parent, SIGKILL);
  waitpid(parent, nullptr, 0);
  CHECK(within(std::chrono::seconds(10), [&] {
    for (pid_t child : children)
      if (alive(child))
        return false;
    return true;
  }));
}
