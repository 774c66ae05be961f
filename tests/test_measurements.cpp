// Measured profiles, calibration and trial validation, against figures built from a known truth.

#include "calibration.hpp"
#include "calibration_fit.hpp"
#include "error.hpp"
#include "loaded_scenario.hpp"
#include "model_file.hpp"
#include "profile_import.hpp"
#include "search_space.hpp"
#include "trial.hpp"
#include "zoo.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include <sys/wait.h>

using namespace pipesplit;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

static std::string temp_file(const std::string& name, const std::string& text)
{
  const auto path = std::filesystem::temp_directory_path() / ("pipesplit_measure_" + name);
  std::ofstream(path) << text;
  return path.string();
}

template <typename F>
static std::string error_of(F&& f)
{
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

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
  auto loaded                              = cli::load_scenario(data_dir + "tiny.yaml");
  loaded.problem.chain                     = build_chain(model, ChainMode::Layers);
  loaded.problem.platform.hosts[0].profile = "boardA";
  Placement placement                      = parse_placement("a:0-2", loaded.problem, "test");
  const Prediction p                       = evaluate_placement(loaded.problem, placement);
  CHECK(p.stages[0].compute_s == Approx(2.5));
  CHECK(p.stages[0].measured);
}

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

TEST_CASE("calibration from one whole-model time predicts that time, and scenarios use it", "[measurements]")
{
  auto loaded         = cli::load_scenario(std::string(PIPESPLIT_SOURCE_DIR) + "/scenarios/resnet18_pi4_ethernet.yaml");
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
  const auto loaded = cli::load_scenario(data_dir + "tiny.yaml");
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
  auto loaded = cli::load_scenario((dir / "scenario.yaml").string());
  CHECK(loaded.problem.host(0).core_speed_flops == Approx(0.5e9));
  Placement placement = parse_placement("a:0-2", loaded.problem, "test");
  CHECK(evaluate_placement(loaded.problem, placement).stages[0].compute_s == Approx(7.0));
}

TEST_CASE("model_resolution rebuilds a resizable zoo model; fixed-size ones refuse", "[measurements][zoo]")
{
  const Model big = load_model("resnet50", 448);
  CHECK(big.input_shape == Shape{3, 448, 448});
  CHECK(big.total_macs() == Approx(4 * find_zoo_model("resnet50")->build().total_macs()).epsilon(0.01));
  CHECK(big.total_params() == find_zoo_model("resnet50")->build().total_params());
  CHECK(load_model("yolov2", 608).layers.back().output_shape == Shape{425, 19, 19});
  CHECK_THAT(error_of([] { load_model("bert_base", 320); }), Catch::Contains("input size is fixed"));
  CHECK_THAT(error_of([] { load_model("yolov2", 400); }), Catch::Contains("do not fit")); // not a multiple of 32
}

TEST_CASE("model_resolution for VGG-16 (adaptive pool) and ViT-B/16 (token count)", "[measurements][zoo]")
{
  // VGG-16 at 448: every convolution does 4x the work, the features come out 14x14 and torchvision's adaptive pool
  // averages 2x2 bins down to the classifier's 7x7, whose weights and work do not change.
  const Model vgg224 = load_model("vgg16", 0);
  const Model vgg448 = load_model("vgg16", 448);
  auto conv_macs     = [](const Model& m) {
    double macs = 0;
    for (const auto& layer : m.layers)
      macs += layer.op == "conv" ? layer.macs : 0;
    return macs;
  };
  CHECK(conv_macs(vgg448) == Approx(4 * conv_macs(vgg224)).epsilon(1e-12));
  CHECK(vgg448.total_macs() - conv_macs(vgg448) == Approx(vgg224.total_macs() - conv_macs(vgg224)).epsilon(1e-12));
  CHECK(vgg448.total_params() == vgg224.total_params());
  const Layer& pool448 = vgg448.layers[vgg448.layers.size() - 7]; // before flatten and the classifier's six layers
  CHECK(pool448.name == "avgpool");
  CHECK(pool448.output_shape == Shape{512, 7, 7});
  CHECK(pool448.flop == 512 * 14 * 14);
  // At 320 the features are 10x10 and PyTorch's bins overlap: rows [0,2) [1,3) [2,5) [4,6) [5,8) [7,9) [8,10),
  // 16 reads per axis.
  const Model vgg320 = load_model("vgg16", 320);
  CHECK(vgg320.layers[vgg320.layers.size() - 7].flop == 512 * 16 * 16);
  // ViT-B/16 at 384, as torchvision's vit_b_16 with image_size 384 (the IMAGENET1K_SWAG_E2E_V1 weights): 577 tokens,
  // 86,859,496 parameters (the positional table grows by 380 rows of 768), 55.48 GMAC.
  const Model vit384 = load_model("vit_b_16", 384);
  CHECK(vit384.total_params() == 86859496);
  CHECK(vit384.total_macs() == Approx(55.484e9).epsilon(2e-3));
  CHECK_THAT(error_of([] { load_model("vit_b_16", 200); }), Catch::Contains("multiple of the 16-pixel patch"));
}
