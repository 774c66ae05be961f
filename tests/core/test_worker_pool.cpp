// Worker processes (core/worker_pool.hpp): messages arrive whole and in order per worker, a failure keeps its class
// across the process boundary, and the first failure stops the others.

#include "core/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>

using namespace pipesplit::core;

TEST_CASE("messages of any content arrive whole, in order, from every worker", "[worker_pool]")
{
  WorkerPool pool(3, [](int worker, const WorkerPool::Emit& emit) {
    for (int i = 0; i < 100; ++i)
      emit(std::to_string(worker) + ":" + std::to_string(i) + std::string(static_cast<size_t>(i * 100), '\n'));
  });
  std::map<int, int> next;
  const auto exits = pool.wait([&](int worker, const std::string& message) {
    const int i = next[worker]++;
    CHECK(message ==
          std::to_string(worker) + ":" + std::to_string(i) + std::string(static_cast<size_t>(i * 100), '\n'));
  });
  CHECK(next == std::map<int, int>{{0, 100}, {1, 100}, {2, 100}});
  REQUIRE(exits.size() == 3);
  for (const auto& exit : exits)
    CHECK(exit.ok());
  CHECK(pool.first_failure() == -1);
}

template <typename Failure>
static void check_class_survives(ExitStatus status)
{
  WorkerPool pool(1, [](int, const WorkerPool::Emit&) { throw Failure("the worker's words"); });
  const auto exits = pool.wait([](int, const std::string&) {});
  REQUIRE(pool.first_failure() == 0);
  CHECK(exits[0].code == static_cast<int>(status));
  CHECK_THROWS_AS(exits[0].rethrow(), Failure);
  CHECK_THROWS_WITH(exits[0].rethrow(), "the worker's words");
}

TEST_CASE("a failure keeps its class and message across the process boundary", "[worker_pool]")
{
  check_class_survives<InputError>(ExitStatus::BadInput);
  check_class_survives<SimulationFailure>(ExitStatus::SimulationFailed);
  check_class_survives<NoPlacement>(ExitStatus::NoPlacement);
  // Anything else is a bug, reported as one (not as the user's fault).
  WorkerPool pool(1, [](int, const WorkerPool::Emit&) { throw std::logic_error("oops"); });
  const auto exits = pool.wait([](int, const std::string&) {});
  CHECK(exits[0].code == static_cast<int>(ExitStatus::Bug));
  CHECK(status_of(std::logic_error("x")) == ExitStatus::Bug);
}

TEST_CASE("a worker killed by a signal is a simulation failure; the first failure stops the others", "[worker_pool]")
{
  const auto start = std::chrono::steady_clock::now();
  WorkerPool pool(2, [](int worker, const WorkerPool::Emit&) {
    if (worker == 0)
      std::abort(); // as SimGrid does on some errors
    sleep(60);      // stopped long before
  });
  const auto exits = pool.wait([](int, const std::string&) {});
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  REQUIRE(pool.first_failure() == 0);
  CHECK(exits[0].signalled);
  CHECK_THROWS_AS(exits[0].rethrow(), SimulationFailure);
  CHECK(exits[1].signalled); // terminated
}
