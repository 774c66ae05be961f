// Measured profiles, calibration and trial validation, against figures built from a known truth.

#include "core/error.hpp"
#include "measure/calibration.hpp"
#include "measure/calibration_fit.hpp"
#include "measure/trial.hpp"
#include "models/model_file.hpp"
#include "models/profile_import.hpp"
#include "models/zoo/zoo.hpp"
#include "solver/search_space.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include <sys/wait.h>

using namespace pipesplit;
using namespace pipesplit::test;
using namespace pipesplit::measure;
using namespace pipesplit::models;
using namespace pipesplit::solver;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

TEST_CASE("bad profiles: unknown layer, negative duration, malformed lines", "[measurements][errors]")
{
  const Model model        = read_model_file(data_dir + "tiny_model.yaml");
  const std::string header = "layer,device,threads,seconds,repeats\n";
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("u.csv", header + "conv9,pi,1,0.1,1\n"), model); }),
             Catch::Contains("u.csv:2") && Catch::Contains("'conv9' is not a layer of model tiny"));
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("n.csv", header + "l0,pi,1,-0.1,1\n"), model); }),
             Catch::Contains("n.csv:2") && Catch::Contains("seconds") && Catch::Contains(">= 0"));
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("h.csv", "layer,seconds\n"), model); }),
             Catch::Contains("h.csv:1") && Catch::Contains("header"));
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("f.csv", header + "l0,pi,1\n"), model); }),
             Catch::Contains("f.csv:2") && Catch::Contains("3 fields"));
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("x.csv", header + "l0,pi,two,0.1,1\n"), model); }),
             Catch::Contains("'two' is not a number"));
  CHECK_THAT(error_of([&] { read_onnxruntime_profile(temp_file("j.json", "{not json"), model, "pi", 1); }),
             Catch::Contains("malformed JSON"));
  CHECK_THAT(error_of([&] {
               read_onnxruntime_profile(temp_file("k.json", R"([{"cat":"Node","dur":5,"name":"conv9_kernel_time"}])"),
                                        model, "pi", 1);
             }),
             Catch::Contains("node 'conv9' is not a layer"));
}

TEST_CASE("profiles: counts a model file cannot hold and fields of the wrong type are refused", "[measurements]")
{
  const Model model        = read_model_file(data_dir + "tiny_model.yaml");
  const std::string header = "layer,device,threads,seconds,repeats\n";
  // 3e9 repeats would be stored as a negative int and written back into the model file.
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("big.csv", header + "l0,pi,1,0.1,3e9\n"), model); }),
             Catch::Contains("big.csv:2") && Catch::Contains("'repeats'") && Catch::Contains("within [1, 2147483647]"));
  CHECK_THAT(error_of([&] { read_profile_csv(temp_file("half.csv", header + "l0,pi,1.5,0.1,1\n"), model); }),
             Catch::Contains("'threads'"));
  CHECK(read_profile_csv(temp_file("max.csv", header + "l0,pi,1,0.1,2147483647\n"), model)[0].measurements[0].repeats ==
        2147483647);
  // onnxruntime: a "cat" or "name" that is no string, a duration no figure can hold.
  auto json_error = [&](const std::string& events) {
    return error_of([&] { read_onnxruntime_profile(temp_file("e.json", events), model, "pi", 1); });
  };
  CHECK_THAT(json_error(R"([{"cat":7,"dur":5,"name":"l0_kernel_time"}])"),
             Catch::Contains("event 0") && Catch::Contains("field 'cat': must be a string"));
  CHECK_THAT(json_error(R"([{"cat":"Node","dur":5,"name":["l0"]}])"),
             Catch::Contains("field 'name': must be a string"));
  CHECK_THAT(json_error(R"([{"cat":"Node","dur":1e300,"name":"l0_kernel_time"}])"), Catch::Contains("field 'dur'"));
  // A folder given as the file.
  CHECK_THAT(error_of([&] { read_profile_csv(data_dir, model); }), Catch::Contains("is a folder, not a file"));
}

TEST_CASE("onnxruntime profiles: kernel times averaged per node, microseconds to seconds", "[measurements]")
{
  const Model model  = read_model_file(data_dir + "tiny_model.yaml");
  const auto profile = read_onnxruntime_profile(data_dir + "tiny_onnxruntime_profile.json", model, "pi4", 4);
  REQUIRE(profile.measurements.size() == 3);
  CHECK(profile.measurements[0].layer == "l0");
  CHECK(profile.measurements[0].seconds == Approx(1.1)); // (1.0 + 1.2) / 2
  CHECK(profile.measurements[0].repeats == 2);
  CHECK(profile.measurements[0].threads == 4);
  CHECK(profile.measurements[2].seconds == Approx(2.0));
  // Without a thread count, the events' statistics tell: the main thread and three sub-threads.
  const auto observed = read_onnxruntime_profile(data_dir + "tiny_onnxruntime_profile.json", model, "pi4", 0);
  CHECK(observed.measurements[0].threads == 4);
}

// Per-layer times of ResNet-18 generated from a known device: 3 GFLOP/s per core, 4 threads, the default Amdahl
// fractions, batch norm at 40% and ReLU at 25% of the core speed.
static std::vector<LayerMeasurement> synthetic_measurements(const Model& model, double noise, uint64_t seed)
{
  HostInfo truth{"truth", 4, 3e9, 0, "", {}, {{"bn", 0.4}, {"relu", 0.25}}};
  ComputeModel compute;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> jitter(1.0, noise);
  std::vector<LayerMeasurement> out;
  for (const auto& layer : model.layers) {
    Block block;
    block.flop_by_op[layer.op] = layer.flop;
    out.push_back({layer.name, 4, compute.block_seconds(block, truth, 4) * (noise > 0 ? jitter(rng) : 1.0), 10});
  }
  return out;
}

TEST_CASE("calibration from per-layer times recovers the device's speed and efficiencies", "[measurements]")
{
  const Model model = find_zoo_model("resnet18")->build();
  HostInfo guess{"pi", 4, 5e9, 0, "", {}, {}};
  ComputeModel compute;
  const FitReport exact = fit_per_layer(model, synthetic_measurements(model, 0, 1), guess, compute);
  CHECK(*exact.calibration.core_speed_flops == Approx(3e9).epsilon(1e-9)); // conv dominates the FLOP
  CHECK(exact.calibration.op_efficiency.at("bn") == Approx(0.4).epsilon(1e-9));
  CHECK(exact.calibration.op_efficiency.at("relu") == Approx(0.25).epsilon(1e-9));
  CHECK(exact.relative_rms_error < 1e-9);
  // With 5% measurement noise the fit stays close and says how close.
  const FitReport noisy = fit_per_layer(model, synthetic_measurements(model, 0.05, 2), guess, compute);
  CHECK(*noisy.calibration.core_speed_flops == Approx(3e9).epsilon(0.02));
  CHECK(noisy.relative_rms_error == Approx(0.05).epsilon(0.4));
  CHECK(std::abs(noisy.total_relative_error) < 0.02);
}
