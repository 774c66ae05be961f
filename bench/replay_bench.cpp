// Replay benchmark: CPU and wall time per simulated inference of pipesplit's replay against a minimal raw-SimGrid
// pipeline of the same shape (4 stages on the 4 boards of platforms/pi4_ethernet.xml, one actor per stage, eager
// mailboxes, one asynchronous send in flight, a closed-loop window), measured side by side in one run, each simulation
// in its own process. Also the peak memory of each process, and of the `pipesplit simulate` command as a user runs it
// (all its processes), as the number of inferences grows.

#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "sim/child_process.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "solver/search_space.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <simgrid/s4u.hpp>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace sg4 = simgrid::s4u;
using namespace pipesplit;
using namespace pipesplit::cost;
using pipesplit::solver::evaluate_placement;

namespace {

long peak_memory_kib()
{
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stol(line.substr(6));
  return 0;
}

double cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Times `simulate` from here on: wall and CPU seconds, and the peak resident memory, as the payload of a child.
class Stopwatch {
public:
  std::string report() const
  {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    return fmt::format("{} {} {}", wall, cpu_seconds() - cpu_start_, peak_memory_kib());
  }

private:
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  double cpu_start_                                 = cpu_seconds();
};

struct Measure {
  double wall_s;
  double cpu_s;
  long memory_kib;
};

// The raw pipeline: the same hosts, transfer sizes and compute times as the replay's placement.
std::string raw_pipeline(const std::string& platform, const Prediction& prediction, const Problem& problem,
                         long long inferences)
{
  int argc     = 1;
  char name[]  = "raw";
  char* argv[] = {name, nullptr};
  xbt_log_control_set("root.thres:critical");
  sg4::Engine engine(&argc, argv);
  engine.set_config("network/model:CM02");
  engine.load_platform(platform);
  const Stopwatch stopwatch;
  const auto stages = prediction.stages.size();
  auto window       = sg4::Semaphore::create(16);
  std::vector<sg4::Mailbox*> boxes;
  for (size_t s = 0; s <= stages; ++s)
    boxes.push_back(sg4::Mailbox::by_name(fmt::format("raw-{}", s)));
  std::vector<double> bytes, flops;
  for (size_t s = 0; s < stages; ++s) {
    const auto& stage = prediction.stages[s].stage;
    bytes.push_back(problem.chain.blocks[stage.last].cut_bytes);
    flops.push_back(prediction.stages[s].compute_s * problem.host(stage.device).core_speed_flops);
  }
  static long long token = 0;
  auto host = [&](size_t s) { return engine.host_by_name(problem.host(prediction.stages[s].stage.device).name); };
  auto sink = sg4::Actor::create("sink", host(0), [&] {
    for (long long i = 0; i < inferences; ++i) {
      boxes[stages]->get<long long>();
      window->release();
    }
  });
  boxes[stages]->set_receiver(sink);
  for (size_t s = 0; s < stages; ++s) {
    auto actor = sg4::Actor::create(fmt::format("stage-{}", s), host(s), [&, s] {
      sg4::CommPtr pending;
      for (long long i = 0; i < inferences; ++i) {
        boxes[s]->get<long long>();
        sg4::this_actor::exec_init(flops[s] / 4)->set_thread_count(4)->start()->wait();
        if (pending)
          pending->wait();
        pending = boxes[s + 1]->put_async(&token, static_cast<uint64_t>(bytes[s]));
      }
      pending->wait();
    });
    boxes[s]->set_receiver(actor);
  }
  sg4::Actor::create("source", host(0), [&] {
    for (long long i = 0; i < inferences; ++i) {
      window->acquire();
      boxes[0]->put(&token, 0);
    }
  });
  engine.run();
  return stopwatch.report();
}

Measure in_child(const std::function<std::string()>& work)
{
  const auto child = sim::run_in_child([&work](const sim::Progress&) { return work(); });
  if (!child.exit.ok())
    throw std::runtime_error("benchmark child failed: " + child.exit.diagnostics);
  Measure m{};
  std::sscanf(child.payload.c_str(), "%lf %lf %ld", &m.wall_s, &m.cpu_s, &m.memory_kib);
  return m;
}

Measure replay_child(const Problem& problem, Placement& placement, const Prediction& prediction, NetworkModel network,
                     long long inferences)
{
  return in_child([&] {
    sim::ReplayOptions options;
    options.network      = network;
    options.inferences   = inferences;
    options.warmup       = 0;
    options.log_controls = {"root.thres:critical"};
    const Stopwatch stopwatch;
    sim::replay(problem, placement, prediction, options);
    return stopwatch.report();
  });
}

struct CommandUsage {
  double cpu_s;    // user and system, of the command and its SimGrid child
  long memory_kib; // the peak resident memory of the largest of them
};

// `pipesplit simulate` as a user runs it: what it and its SimGrid child cost.
CommandUsage simulate_command(const std::string& scenario, const std::string& placement, long long inferences)
{
  std::vector<std::string> args = {
      PIPESPLIT_BINARY, "simulate", scenario, "--placement", placement, "--inferences", std::to_string(inferences)};
  std::vector<char*> argv;
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  // Linux reports the child's usage together with that of the children it waited for (its SimGrid child): times
  // summed, the peak memory the largest.
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("pipesplit simulate failed");
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return {seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_maxrss};
}

double median(std::vector<double> values)
{
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

} // namespace

int main()
{
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto loaded      = sim::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_ethernet.yaml");
  Problem& problem = loaded.problem;
  problem.source.reset(); // the raw pipeline has no input or output transfer
  problem.sink.reset();
  const std::string plan      = "pi0:0-6,pi1:7-10,pi2:11-14,pi3:15-22";
  Placement placement         = parse_placement(plan, problem, "bench");
  const Prediction prediction = evaluate_placement(problem, placement);

  fmt::print("Replay vs raw SimGrid pipeline, 4 stages (pi4_ethernet.xml, ResNet-18), median of 3 runs per size\n\n");
  fmt::print("{:>10} | {:>9} {:>7} | {:>12} {:>8} | {:>9} {:>10} | {:>11} {:>11}\n", "inferences", "raw inf/s",
             "raw MiB", "replay inf/s", "rep. MiB", "CPU ratio", "wall ratio", "cmd inf/s", "command MiB");
  fmt::print("{:->10} | {:->9} {:->7} | {:->12} {:->8} | {:->9} {:->10} | {:->11} {:->11}\n", "", "", "", "", "", "",
             "", "", "");
  const std::string scenario = std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_ethernet.yaml";
  for (long long n : {10'000LL, 100'000LL, 1'000'000LL}) {
    std::vector<double> raw_cpu, replay_cpu, raw_walls, replay_walls;
    long raw_memory = 0, replay_memory = 0;
    for (int run = 0; run < 3; ++run) {
      const Measure raw  = in_child([&] { return raw_pipeline(problem.platform.file, prediction, problem, n); });
      const Measure ours = replay_child(problem, placement, prediction, NetworkModel::Ideal, n);
      raw_cpu.push_back(raw.cpu_s);
      replay_cpu.push_back(ours.cpu_s);
      raw_walls.push_back(raw.wall_s);
      replay_walls.push_back(ours.wall_s);
      raw_memory    = std::max(raw_memory, raw.memory_kib);
      replay_memory = std::max(replay_memory, ours.memory_kib);
    }
    const CommandUsage command = simulate_command(scenario, plan, n);
    fmt::print("{:>10} | {:>9.0f} {:>7.1f} | {:>12.0f} {:>8.1f} | {:>8.2f}x {:>9.2f}x | {:>11.0f} {:>11.1f}\n", n,
               n / median(raw_cpu), raw_memory / 1024.0, n / median(replay_cpu), replay_memory / 1024.0,
               median(replay_cpu) / median(raw_cpu), median(replay_walls) / median(raw_walls), n / command.cpu_s,
               command.memory_kib / 1024.0);
  }
  fmt::print("\ninf/s: simulated inferences per CPU second. Ratios: the replay's time per inference over the raw "
             "pipeline's, in CPU and in wall time (target <= 1.3x). MiB: peak resident memory of the simulating "
             "process. cmd: `pipesplit simulate --inferences N` as a user runs it (one run, its CPU time with loading, "
             "prediction and "
             "reports; its peak memory).\n");

  // Under lv08 the prediction plays the schedule out without SimGrid (pipeline_schedule.hpp): its cost next to the
  // replay's, on the WiFi scenario where it matters.
  auto wifi = sim::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_wifi.yaml");
  wifi.problem.deployment.network = NetworkModel::Lv08;
  Placement wifi_plan             = parse_placement("pi0:0-9,pi1:10-17,pi2:18-22", wifi.problem, "bench");
  const Prediction wifi_closed    = evaluate_placement(wifi.problem, wifi_plan);
  const long long n               = 10'000;
  std::vector<double> schedule_walls, replay_walls;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    play_schedule(wifi.problem, wifi_plan, wifi_closed, {0, n});
    schedule_walls.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    replay_walls.push_back(replay_child(wifi.problem, wifi_plan, wifi_closed, NetworkModel::Lv08, n).wall_s);
  }
  const double schedule_wall = median(schedule_walls), replay_wall = median(replay_walls);
  fmt::print("\nlv08 prediction, the schedule played out without SimGrid (resnet18_pi4_wifi, 3 stages, {} inferences, "
             "median of 3):\n  schedule {:.0f} inf/s, replay {:.0f} inf/s: {:.1f}x faster\n",
             n, n / schedule_wall, n / replay_wall, replay_wall / schedule_wall);
  return 0;
}
