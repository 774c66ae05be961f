// `pipesplit trial --hosts`: the hardware trial's path end to end, with its boards played by `pipesplit worker`
// processes on this machine's loopback (no root needed): each stage served by its own worker process, the results
// in order and equal to the unpartitioned run's (the trial checks that itself and exits 3 otherwise), exactly the
// chain's cut sizes on every hop, and the workers done once the trial is.

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using pipesplit::test::run_command;

namespace {

// The exit code of `pid` if it ends within `seconds`; else it is killed and -1 returned.
int wait_for(pid_t pid, int seconds)
{
  for (int tick = 0; tick < seconds * 50; ++tick) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

} // namespace

TEST_CASE("trial --hosts: workers as separate processes serve the stages, results exact", "[cli][trial]")
{
  const std::string scenario = std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/trial_resnet18_compute.yaml";
  const fs::path dir         = fs::temp_directory_path() / fmt::format("pipesplit_test_hosts_{}", getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const int base = 20000 + static_cast<int>(getpid() % 20000); // away from other runs of this test
  std::ofstream(dir / "hosts.yaml") << fmt::format(
      "format: pipesplit-hosts/1\ncontroller: 127.0.0.1\nsink_port: {}\nhosts:\n  cam: \"127.0.0.1:{}\"\n"
      "  edge1: \"127.0.0.1:{}\"\n  edge2: \"127.0.0.1:{}\"\n",
      base, base + 1, base + 2, base + 3);
  std::vector<pid_t> workers;
  for (int w = 1; w <= 3; ++w)
    workers.push_back(pipesplit::test::spawn_quietly(
        {PIPESPLIT_BINARY, "worker", scenario, "--listen", fmt::format("127.0.0.1:{}", base + w), "--trials", "1"}));
  const auto trial =
      run_command({PIPESPLIT_BINARY, "trial", scenario, "--placement", "cam:0-6@1,edge1:7-12@1,edge2:13-22@1",
                   "--inputs", "12", "--hosts", (dir / "hosts.yaml").string(), "--out", (dir / "out").string()});
  INFO(trial.err);
  CHECK(trial.exit_code == 0);
  for (pid_t worker : workers)
    CHECK(wait_for(worker, 30) == 0);
  REQUIRE(trial.exit_code == 0);
  std::ifstream in(dir / "out" / "result.json");
  const auto result = nlohmann::json::parse(in);
  CHECK(result.at("testbed").get<std::string>().find("hosts.yaml") != std::string::npos);
  CHECK(result.at("measured").at("inputs") == 12);
  // ResNet-18's blocks chain at 224 px: 802,816 bytes cross after block 6, 200,704 after block 12, 4,000 to the sink.
  CHECK(result.at("measured").at("hop_bytes") ==
        nlohmann::json({150528.0 * 4 * 12, 802816.0 * 12, 200704.0 * 12, 4000.0 * 12}));
  CHECK(fs::exists(dir / "out" / "trial.yaml"));
  // What made it: the command line, and the hosts file among the inputs hashed.
  const auto& provenance = result.at("provenance");
  CHECK(provenance.at("command_line").at(1) == "trial");
  const auto& inputs = provenance.at("inputs");
  CHECK(std::any_of(inputs.begin(), inputs.end(), [](const nlohmann::json& input) {
    return input.at("role") == "hosts" && input.at("sha256").get<std::string>().size() == 64;
  }));
  fs::remove_all(dir);
}
