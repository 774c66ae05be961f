// Whole trials on the emulated testbed (root only): every input once and in order, the unpartitioned run's output
// bytes, the cut sizes on every link, a network-bound period at bytes / shaped rate, and nothing left behind, also
// after the trial is killed.

#include "sim/loaded_scenario.hpp"
#include "tests/support/run_command.hpp"
#include "tests/trial/trial_files.hpp"
#include "trial/emulated_trial.hpp"
#include "trial/tensor_wire.hpp"
#include "trial/trial_summary.hpp"

#include "cost/hops.hpp"
#include "cost/placement.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

extern char** environ;

using namespace pipesplit;
using namespace pipesplit::trial;
namespace fs = std::filesystem;

namespace {

bool skip_without_root()
{
  if (may_build_testbed())
    return false;
  std::cout << "skipped: needs root (network namespaces, tc and cgroups)\n";
  return true;
}

fs::path test_folder(const std::string& name)
{
  return fs::temp_directory_path() / fmt::format("pipesplit_trial_test_{}_{}", getpid(), name);
}

// Every input once and in order at every party, the unpartitioned output, the cut sizes times the inputs per hop.
void check_delivery(const LoadedScenario& loaded, const Placement& placement, const TrialMeasurement& m,
                    long long inputs)
{
  REQUIRE(static_cast<long long>(m.delivered_s.size()) == inputs);
  for (long long i = 1; i < inputs; ++i)
    CHECK(m.delivered_s[i] >= m.delivered_s[i - 1]);
  for (const auto& stage : m.stages) {
    REQUIRE(static_cast<long long>(stage.size()) == inputs);
    for (long long i = 0; i < inputs; ++i)
      CHECK(stage[i].input == i);
  }
  REQUIRE(m.delivered_inputs.size() == m.delivered_s.size());
  for (long long i = 0; i < inputs; ++i)
    CHECK(m.delivered_inputs[i] == i);
  CHECK(m.output_digest == unpartitioned_digest(loaded.model, loaded.problem.chain, m.delivered_inputs, 1));
  const auto hops = pipeline_hops(loaded.problem, placement);
  REQUIRE(m.hop_bytes.size() == hops.size());
  for (size_t h = 0; h < hops.size(); ++h)
    CHECK(m.hop_bytes[h] == hops[h].bytes * static_cast<double>(inputs));
}

} // namespace

TEST_CASE("a network-bound 2-stage trial: in order, exact bytes, period at bytes / shaped rate, no leftovers")
{
  if (skip_without_root())
    return;
  // 262,144 bytes after block 2 over 20 Mbit/s: 0.105 s per input, far more than either stage computes.
  const auto folder          = test_folder("two");
  const LoadedScenario probe = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6)));
  const double machine       = measure_core_flops(probe.model, probe.problem.chain);
  const LoadedScenario loaded =
      load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6, machine)));
  const Placement placement = parse_placement("h0:0-2,h1:3-22", loaded.problem, "test");
  TrialOptions options;
  options.inputs    = 30;
  options.timeout_s = 60;
  const auto run    = run_emulated_trial(loaded.model, loaded.problem, placement, options, machine);
  check_delivery(loaded, placement, run.measurement, options.inputs);
  const auto summary           = summarise(run.measurement, 5);
  const double expected_period = 262144 / (20e6 / 8);
  INFO("measured period " << summary.period_s << " s, bytes / shaped rate " << expected_period << " s");
  CHECK(summary.period_s == Approx(expected_period).epsilon(0.05));
  CHECK(testbed_leftovers(run.prefix).empty());
  fs::remove_all(folder);
}

TEST_CASE("a camera at twice the link's rate, drop-oldest: the stage before the link drops about every other input")
{
  if (skip_without_root())
    return;
  // As in the 2-stage trial, the link serves an input in T = 262,144 bytes / 20 Mbit/s = 0.105 s; the camera emits
  // every T / 2, 40 inputs over 19.5 T. Stage 0 (a few ms of compute) takes input 0 at 0 and, its result on the wire,
  // input 1 at T / 2, whose result then waits in the one-slot send queue; from then on it takes an input when a send
  // completes, every T: at T, 2 T, ..., 20 T (the last input, emitted at 19.5 T, is still queued at 20 T), each the
  // newest that arrived, its queue of depth 1 dropping the other. So 22 results (give or take one for the stage's
  // compute and the acknowledgements), 18 inputs dropped, all by stage 0, and results every T.
  const auto folder           = test_folder("drop");
  const LoadedScenario probe  = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.4, 20e6)));
  const double machine        = measure_core_flops(probe.model, probe.problem.chain);
  const double link_period    = 262144 / (20e6 / 8);
  const std::string camera    = fmt::format("  queue_policy: drop-oldest\n  source_rate_hz: {:.6f}\n", 2 / link_period);
  auto with_camera            = test::trial_scenario(2, 0.4, 20e6, machine);
  with_camera.deployment      = camera;
  const LoadedScenario loaded = load_scenario(test::write_trial_scenario(folder, with_camera));
  const Placement placement   = parse_placement("h0:0-2,h1:3-22", loaded.problem, "test");
  TrialOptions options;
  options.inputs       = 40;
  options.timeout_s    = 60;
  const auto run       = run_emulated_trial(loaded.model, loaded.problem, placement, options, machine);
  const auto& m        = run.measurement;
  const auto delivered = static_cast<long long>(m.delivered_inputs.size());
  INFO("delivered " << delivered << ", dropped by stage: " << m.dropped[0] << ", " << m.dropped[1]);
  CHECK(delivered >= 21);
  CHECK(delivered <= 23);
  CHECK(m.dropped[0] == options.inputs - delivered);
  CHECK(m.dropped[1] == 0);
  for (size_t i = 1; i < m.delivered_inputs.size(); ++i)
    CHECK(m.delivered_inputs[i] > m.delivered_inputs[i - 1]);
  CHECK(m.delivered_inputs.front() == 0);
  CHECK(m.delivered_inputs.back() == options.inputs - 1);
  CHECK(m.output_digest == unpartitioned_digest(loaded.model, loaded.problem.chain, m.delivered_inputs, 1));
  const auto summary = summarise(m, 3);
  CHECK(summary.period_s == Approx(link_period).epsilon(0.05));
  CHECK(summary.dropped == options.inputs - delivered);
  CHECK(testbed_leftovers(run.prefix).empty());
  fs::remove_all(folder);
}

TEST_CASE("three hops over one SHARED link: one bottleneck for all of them, period at all the bytes / its rate")
{
  if (skip_without_root())
    return;
  // h0 -> h1 (262,144 bytes), h1 -> h2 (32,768) and h2 -> h0 (4,000) all cross one SHARED 20 Mbit/s cell: each
  // input puts 298,912 bytes on it, 0.1196 s, where a veth per pair would take the largest alone, 0.105 s.
  const auto folder   = test_folder("shared");
  const auto scenario = [&](double machine) {
    auto cell            = test::trial_scenario(3, 0.3, 20e6, machine);
    cell.one_shared_link = true;
    return test::write_trial_scenario(folder, cell);
  };
  const double machine =
      measure_core_flops(load_scenario(scenario(1e12)).model, load_scenario(scenario(1e12)).problem.chain);
  const LoadedScenario loaded = load_scenario(scenario(machine));
  const Placement placement   = parse_placement("h0:0-2,h1:3-11,h2:12-22", loaded.problem, "test");
  TrialOptions options;
  options.inputs    = 60; // the closed loop keeps 9 in flight: the last 11 or so results only drain the pipeline
  options.timeout_s = 60;
  const auto run    = run_emulated_trial(loaded.model, loaded.problem, placement, options, machine);
  REQUIRE(run.plan.media.size() == 1);
  CHECK(run.plan.media[0].hosts.size() == 3);
  check_delivery(loaded, placement, run.measurement, options.inputs);
  const double expected_period = (262144 + 32768 + 4000) / (20e6 / 8);
  const auto summary           = summarise(run.measurement, 10);
  INFO("measured period " << summary.period_s << " s, all bytes / shaped rate " << expected_period << " s");
  CHECK(summary.period_s == Approx(expected_period).epsilon(0.05));
  CHECK(testbed_leftovers(run.prefix).empty());
  fs::remove_all(folder);
}

TEST_CASE("a 3-stage trial: in order, the unpartitioned output, exact bytes on both links, no leftovers")
{
  if (skip_without_root())
    return;
  const auto folder          = test_folder("three");
  const LoadedScenario probe = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(3, 0.3, 100e6)));
  const double machine       = measure_core_flops(probe.model, probe.problem.chain);
  const LoadedScenario loaded =
      load_scenario(test::write_trial_scenario(folder, test::trial_scenario(3, 0.3, 100e6, machine)));
  const Placement placement = parse_placement("h0:0-2,h1:3-11,h2:12-22", loaded.problem, "test");
  TrialOptions options;
  options.inputs    = 20;
  options.timeout_s = 60;
  const auto run    = run_emulated_trial(loaded.model, loaded.problem, placement, options, machine);
  check_delivery(loaded, placement, run.measurement, options.inputs);
  REQUIRE(run.plan.links.size() == 3); // h0-h1, h1-h2, h2-h0 (the sink)
  for (const auto& device : run.plan.devices)
    CHECK(device.cpu_share == Approx(0.3));
  // Each compute is paced to the device: it lasts its CPU time / 0.3 (and the sleep's wake-up a few ms late at
  // most, on a busy machine), where a CFS quota alone lets a burst run at full speed.
  for (const auto& stage : run.measurement.stages)
    for (const auto& t : stage) {
      CHECK(t.compute_end - t.compute_start >= t.compute_cpu_s / 0.3);
      CHECK(t.compute_end - t.compute_start <= t.compute_cpu_s / 0.3 + 0.02);
    }
  CHECK(testbed_leftovers(run.prefix).empty());
  fs::remove_all(folder);
}

TEST_CASE("a killed trial leaves no namespace, link or cgroup behind")
{
  if (skip_without_root())
    return;
  const auto folder          = test_folder("killed");
  const LoadedScenario probe = load_scenario(test::write_trial_scenario(folder, test::trial_scenario(2, 0.3, 20e6)));
  const double machine       = measure_core_flops(probe.model, probe.problem.chain);
  const auto scenario        = test::write_trial_scenario(folder, test::trial_scenario(2, 0.3, 20e6, machine));
  const std::vector<std::string> argv{PIPESPLIT_BINARY,          "trial",    scenario, "--placement",
                                      "h0:0-2,h1:3-22",          "--inputs", "1000",   "--out",
                                      (folder / "out").string(), "--emulate"};
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, PIPESPLIT_BINARY, nullptr, nullptr, args.data(), environ) == 0);
  const std::string prefix = testbed_prefix_of(pid);
  // Wait until the trial runs: both namespaces exist and its workers are in their cgroups.
  bool running = false;
  for (int attempt = 0; attempt < 200 && !running; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    running = testbed_leftovers(prefix).size() >= 6; // 2 cpu + 2 cpuset cgroups + 2 namespaces (+ links)
  }
  REQUIRE(running);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  std::vector<std::string> left = testbed_leftovers(prefix);
  for (int attempt = 0; attempt < 100 && !left.empty(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = testbed_leftovers(prefix);
  }
  INFO("left behind: " << fmt::format("{}", fmt::join(left, ", ")));
  CHECK(left.empty());
  fs::remove_all(folder);
}

TEST_CASE("without root, --emulate stops with its own exit code (5) and says why")
{
  // As root, drop to nobody with setpriv; otherwise this process is already unprivileged.
  const std::string scenario = std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/trial_mobilenet_v2_network.yaml";
  std::vector<std::string> argv{PIPESPLIT_BINARY,
                                "trial",
                                scenario,
                                "--placement",
                                "cam:0-16,edge:17-71",
                                "--inputs",
                                "5",
                                "--out",
                                test_folder("nobody").string(),
                                "--emulate"};
  if (geteuid() == 0)
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  const auto trial = test::run_command(argv);
  INFO(trial.err);
  CHECK(trial.exit_code == 5);
}
