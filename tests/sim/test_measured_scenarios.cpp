// Measured profiles, calibrations and trials applied to whole scenarios (the platform loaded by SimGrid).

#include "core/error.hpp"
#include "measure/calibration.hpp"
#include "measure/calibration_fit.hpp"
#include "measure/trial.hpp"
#include "models/model_file.hpp"
#include "models/profile_import.hpp"
#include "models/zoo/zoo.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/search_space.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include <sys/wait.h>

using namespace pipesplit;
using namespace pipesplit::test;
using namespace pipesplit::sim;
using namespace pipesplit::solver;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

TEST_CASE("CSV profiles: parsed, mapped onto layers, and used by the cost model", "[measurements]")
{
  Model model    = read_model_file(data_dir + "tiny_model.yaml");
  const auto csv = temp_file("ok.csv", "layer,device,threads,seconds,repeats\nl0,boardA,2,0.8,10\nl1,boardA,2,0.2,10\n"
                                       "l2,boardA,2,1.5,10\nl0,boardB,1,3.0,5\n");
  const auto profiles = read_profile_csv(csv, model);
  REQUIRE(profiles.size() == 2);
  for (const auto& p : profiles)
    merge_profile(model, p);
  CHECK(model.profiles.at("boardA").size() == 3);
  CHECK(model.profiles.at("boardB")[0].seconds == 3.0);

  // A host naming profile boardA runs a stage of all three layers with 2 threads in 0.8 + 0.2 + 1.5 s.
  auto loaded                              = sim::load_scenario(data_dir + "tiny.yaml");
  loaded.problem.chain                     = build_chain(model, ChainMode::Layers);
  loaded.problem.platform.hosts[0].profile = "boardA";
  Placement placement                      = parse_placement("a:0-2", loaded.problem, "test");
  const Prediction p                       = evaluate_placement(loaded.problem, placement);
  CHECK(p.stages[0].compute_s == Approx(2.5));
  CHECK(p.stages[0].measured);
}

TEST_CASE("calibration from one whole-model time predicts that time, and scenarios use it", "[measurements]")
{
  auto loaded         = sim::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_ethernet.yaml");
  const HostInfo& pi0 = loaded.problem.host(0);
  const FitReport fit = fit_whole_model(loaded.model, pi0, loaded.problem.compute, 4, 0.150);
  CHECK(fit.capacity_flops == Approx(loaded.model.total_flop() / 0.150));
  Calibration calibration;
  calibration.order           = {"pi*"};
  calibration.hosts["pi*"]    = fit.calibration;
  const std::string file      = temp_file("calibration.yaml", calibration_to_yaml(calibration));
  const Calibration read_back = read_calibration_file(file);
  CHECK(*read_back.hosts.at("pi*").core_speed_flops == Approx(*fit.calibration.core_speed_flops));
  apply_calibration(read_back, loaded.problem.platform, file);
  for (const auto& host : loaded.problem.platform.hosts)
    CHECK(host.core_speed_flops == Approx(*fit.calibration.core_speed_flops));
  Placement whole = parse_placement("pi0:0-22", loaded.problem, "test");
  CHECK(evaluate_placement(loaded.problem, whole).stages[0].compute_s == Approx(0.150).epsilon(1e-9));
  CHECK_THAT(error_of([&] {
               Calibration wrong;
               wrong.order           = {"jetson"};
               wrong.hosts["jetson"] = fit.calibration;
               apply_calibration(wrong, loaded.problem.platform, "c.yaml");
             }),
             Catch::Contains("c.yaml") && Catch::Contains("hosts.jetson") && Catch::Contains("matches no host"));
}

TEST_CASE("a trial's measurements against the prediction", "[measurements]")
{
  const auto loaded = sim::load_scenario(data_dir + "tiny.yaml");
  const auto trial_file =
      temp_file("trial.yaml", "format: pipesplit-trial/1\nplacement: a:0,b:1-2\nthroughput_ips: 0.45\nlatency_s: 4.5\n"
                              "stages:\n  - {stage: 0, seconds: 1.1}\n  - {stage: 1, seconds: 1.25}\n"
                              "transfers:\n  - {from: a, to: b, seconds: 2.2}\n");
  Trial trial           = read_trial_file(trial_file, loaded.problem);
  const auto prediction = evaluate_placement(loaded.problem, trial.placement);
  const auto rows       = compare_trial(trial, loaded.problem, prediction);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].figure == "stage 0 (a) compute");
  CHECK(rows[0].relative_error() == Approx((1.0 - 1.1) / 1.1));
  CHECK(rows[1].relative_error() == Approx(0).margin(1e-12));
  CHECK(rows[2].figure == "transfer a->b");
  CHECK(rows[2].relative_error() == Approx((2.01 - 2.2) / 2.2));
  CHECK(rows[3].relative_error() == Approx((1 / 2.01 - 0.45) / 0.45));
  CHECK_THAT(error_of([&] {
               Trial t = read_trial_file(temp_file("bad.yaml", "placement: a:0,b:1-2\ntransfers:\n  - {from: b, to: a, "
                                                               "seconds: -1}\n"),
                                         loaded.problem);
             }),
             Catch::Contains("bad.yaml:3") && Catch::Contains("seconds") && Catch::Contains("> 0"));
}

TEST_CASE("end to end: calibrate writes a file, a scenario's calibration key applies it", "[measurements]")
{
  // Board a measured the tiny model's layers at 2 threads: twice the analytic times (a core at 0.5 GFLOP/s).
  const auto dir = std::filesystem::temp_directory_path() / "pipesplit_calibrate_e2e";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.csv") << "layer,device,threads,seconds,repeats\nl0,a,2,2.0,5\nl1,a,2,1.0,5\nl2,a,2,4.0,5\n";
  const std::string calibration = (dir / "calibration.yaml").string();
  const std::string command     = std::string(PIPESPLIT_BINARY) + " calibrate " + data_dir +
                              "tiny.yaml --host a --measured " + (dir / "a.csv").string() + " -o " + calibration +
                              " > /dev/null";
  REQUIRE(WEXITSTATUS(std::system(command.c_str())) == 0);
  CHECK(*read_calibration_file(calibration).hosts.at("a").core_speed_flops == Approx(0.5e9));
  std::ofstream(dir / "scenario.yaml") << "platform: " << data_dir << "two_boards.xml\nmodel: " << data_dir
                                       << "tiny_model.yaml\nchain: layers\ncalibration: calibration.yaml\n"
                                          "deployment: {threads: 2, parallel_fraction: {fc: 1.0}}\n";
  auto loaded = sim::load_scenario((dir / "scenario.yaml").string());
  CHECK(loaded.problem.host(0).core_speed_flops == Approx(0.5e9));
  Placement placement = parse_placement("a:0-2", loaded.problem, "test");
  CHECK(evaluate_placement(loaded.problem, placement).stages[0].compute_s == Approx(7.0));
}
