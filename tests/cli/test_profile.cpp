// `pipesplit profile` writes measured profiles in the model file format that predict, calibrate and validate read
// back; `pipesplit exec` runs a stage and refuses what it cannot run.

#include "cli/command.hpp"
#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "measure/calibration.hpp"
#include "models/model_builder.hpp"
#include "models/model_file.hpp"
#include "sim/loaded_scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::cli;

namespace {

std::filesystem::path work_dir()
{
  const auto dir = std::filesystem::temp_directory_path() / "pipesplit_test_profile";
  std::filesystem::create_directories(dir);
  return dir;
}

void write(const std::filesystem::path& path, const std::string& text)
{
  std::ofstream(path) << text;
}

// A small CNN with every attribute the executor needs, as a model file.
std::string small_cnn()
{
  ModelBuilder b("small_cnn", {3, 16, 16});
  b.conv("conv", conv_spec(8, 3));
  b.batch_norm("bn");
  b.activation("relu");
  b.max_pool("pool", 2, 2);
  b.global_avg_pool("gap");
  b.flatten("flatten");
  b.fc("fc", 10);
  const auto path = work_dir() / "small_cnn.yaml";
  write_model_file(b.build(), path.string());
  return path.string();
}

} // namespace

TEST_CASE("profile writes every layer's median per thread count; predict, calibrate and validate read it", "[exec]")
{
  const auto dir           = work_dir();
  const std::string model  = small_cnn();
  const std::string output = (dir / "small_cnn_profiled.yaml").string();
  REQUIRE(profile_main({model, "--threads", "1,2", "--repeats", "3", "--warmup", "1", "-o", output}) == ExitStatus::Ok);
  const Model profiled = read_model_file(output);
  REQUIRE(profiled.profiles.count("local"));
  const auto& measurements = profiled.profiles.at("local");
  CHECK(measurements.size() == 2 * profiled.layers.size());
  double sum_at_2 = 0;
  for (const auto& m : measurements) {
    CHECK(profiled.layer_index(m.layer) >= 0);
    CHECK(m.seconds > 0);
    CHECK(m.repeats == 3);
    if (m.threads == 2)
      sum_at_2 += m.seconds;
  }
  const auto& machine = profiled.profile_machines.at("local");
  CHECK(!machine.cpu.empty());
  CHECK(machine.cores >= 2);
  CHECK(machine.library.rfind("oneDNN ", 0) == 0);
  CHECK(machine.whole_seconds.size() == 2);

  // A host naming the profile: predict's stage time is the sum of the measured layers at its thread count.
  write(dir / "here.xml", R"(<?xml version="1.0"?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="z" routing="Full">
    <host id="here" speed="1Gf" core="2"><prop id="profile" value="local"/></host>
  </zone>
</platform>
)");
  write(dir / "here.yaml", "name: here\nplatform: here.xml\nmodel: small_cnn_profiled.yaml\nchain: layers\n"
                           "deployment: {threads: 2}\n");
  const auto loaded     = sim::load_scenario((dir / "here.yaml").string());
  const auto last       = std::to_string(loaded.problem.chain.size() - 1);
  const Placement plan  = parse_placement("here:0-" + last, loaded.problem, "test");
  const auto prediction = predict(loaded.problem, plan);
  CHECK(prediction.stages.at(0).compute_s == Approx(sum_at_2).epsilon(1e-12));

  const std::string calibration = (dir / "calibration.yaml").string();
  std::filesystem::remove(calibration);
  CHECK(calibrate_main({(dir / "here.yaml").string(), "--host", "here", "--measured", output, "--format", "model",
                        "--profile", "local", "-o", calibration}) == ExitStatus::Ok);
  CHECK(std::filesystem::exists(calibration));
  // The traffic fit from the same profile: its three figures land in the calibration file.
  const std::string traffic = (dir / "traffic.yaml").string();
  std::filesystem::remove(traffic);
  CHECK(calibrate_main({(dir / "here.yaml").string(), "--host", "here", "--measured", output, "--format", "model",
                        "--profile", "local", "--fit", "traffic", "-o", traffic}) == ExitStatus::Ok);
  const auto fitted = measure::read_calibration_file(traffic).hosts.at("here");
  CHECK(*fitted.core_speed_flops > 0);
  CHECK(fitted.layer_overhead_s.has_value());
  CHECK(fitted.fit.at("method") == "traffic");

  write(dir / "trial.yaml", "format: pipesplit-trial/1\nplacement: \"here:0-" + last +
                                "\"\nthroughput_ips: 1000\nstages:\n  - {stage: 0, seconds: 0.001}\n");
  CHECK(validate_main({(dir / "here.yaml").string(), "--measured", (dir / "trial.yaml").string()}) == ExitStatus::Ok);
}

TEST_CASE("exec runs a stage; a model file without attributes is refused naming the layer", "[exec]")
{
  CHECK(exec_main({small_cnn(), "--blocks", "1-2", "--threads", "1", "--inputs", "2", "--warmup", "0"}) ==
        ExitStatus::Ok);
  CHECK_THROWS_WITH(exec_main({std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/tiny_model.yaml", "--blocks", "0-0"}),
                    Catch::Contains("cannot be executed") && Catch::Contains("no op attributes"));
  CHECK_THROWS_WITH(exec_main({small_cnn(), "--blocks", "3-1"}), Catch::Contains("--blocks"));
}
