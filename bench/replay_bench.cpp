// Replay benchmark: wall time per simulated inference of pipesplit's replay against a minimal raw-SimGrid pipeline
// of the same shape (4 stages on the 4 boards of platforms/pi4_ethernet.xml, one actor per stage, eager mailboxes,
// one asynchronous send in flight, a closed-loop window), measured side by side in one run, each simulation in its
// own process. Also the peak memory of each process as the number of inferences grows.

#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "sim/child_process.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay.hpp"
#include "solver/search_space.hpp"

#include <fmt/format.h>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;
using namespace pipesplit;

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

struct Measure {
  double wall_s;
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
  const auto start  = std::chrono::steady_clock::now();
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
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return fmt::format("{} {}", wall, peak_memory_kib());
}

Measure in_child(const std::function<std::string()>& work)
{
  const auto child = sim::run_in_child([&work](const sim::Progress&) { return work(); });
  if (!child.exit.ok())
    throw std::runtime_error("benchmark child failed: " + child.exit.diagnostics);
  Measure m{};
  std::sscanf(child.payload.c_str(), "%lf %ld", &m.wall_s, &m.memory_kib);
  return m;
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
  Placement placement         = parse_placement("pi0:0-6,pi1:7-10,pi2:11-14,pi3:15-22", problem, "bench");
  const Prediction prediction = evaluate_placement(problem, placement);

  fmt::print("Replay vs raw SimGrid pipeline, 4 stages (pi4_ethernet.xml, ResNet-18), median of 3 runs per size\n\n");
  fmt::print("{:>11} | {:>12} {:>9} | {:>12} {:>9} | {:>6}\n", "inferences", "raw inf/s", "raw MiB", "replay inf/s",
             "rep. MiB", "ratio");
  fmt::print("{:->11} | {:->12} {:->9} | {:->12} {:->9} | {:->6}\n", "", "", "", "", "", "");
  for (long long n : {10'000LL, 50'000LL, 100'000LL}) {
    std::vector<double> raw_walls, replay_walls;
    long raw_memory = 0, replay_memory = 0;
    for (int run = 0; run < 3; ++run) {
      const Measure raw  = in_child([&] { return raw_pipeline(problem.platform.file, prediction, problem, n); });
      const Measure ours = in_child([&] {
        sim::ReplayOptions options;
        options.inferences   = n;
        options.warmup       = 0;
        options.log_controls = {"root.thres:critical"};
        const auto start     = std::chrono::steady_clock::now();
        sim::replay(problem, placement, prediction, options);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return fmt::format("{} {}", wall, peak_memory_kib());
      });
      raw_walls.push_back(raw.wall_s);
      replay_walls.push_back(ours.wall_s);
      raw_memory    = std::max(raw_memory, raw.memory_kib);
      replay_memory = std::max(replay_memory, ours.memory_kib);
    }
    const double raw_wall = median(raw_walls), replay_wall = median(replay_walls);
    fmt::print("{:>11} | {:>12.0f} {:>9.1f} | {:>12.0f} {:>9.1f} | {:>5.2f}x\n", n, n / raw_wall, raw_memory / 1024.0,
               n / replay_wall, replay_memory / 1024.0, replay_wall / raw_wall);
  }
  fmt::print("\nratio: the replay's wall time per inference over the raw pipeline's (target <= 1.3x). MiB: peak "
             "resident memory of the simulating process.\n");

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
    replay_walls.push_back(in_child([&] {
                             sim::ReplayOptions options;
                             options.network      = NetworkModel::Lv08;
                             options.inferences   = n;
                             options.warmup       = 0;
                             options.log_controls = {"root.thres:critical"};
                             const auto start     = std::chrono::steady_clock::now();
                             sim::replay(wifi.problem, wifi_plan, wifi_closed, options);
                             const double wall =
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                             return fmt::format("{} {}", wall, peak_memory_kib());
                           }).wall_s);
  }
  const double schedule_wall = median(schedule_walls), replay_wall = median(replay_walls);
  fmt::print("\nlv08 prediction, the schedule played out without SimGrid (resnet18_pi4_wifi, 3 stages, {} inferences, "
             "median of 3):\n  schedule {:.0f} inf/s, replay {:.0f} inf/s: {:.1f}x faster\n",
             n, n / schedule_wall, n / replay_wall, replay_wall / schedule_wall);
  return 0;
}
