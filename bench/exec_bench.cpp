// Real execution against the cost model, on this machine (oneDNN kernels, random weights):
//  1. whole-model time of ResNet-18, ResNet-50 and MobileNetV2 on 1 and 2 threads against the sum of the per-layer
//     medians (how far per-layer profiles add up to the model), and the fastest repeat of the whole against the sum
//     of each layer's fastest (the least disturbed runs), each row with the load average when it ended;
//  2. where the time goes: per class of layer (1x1, larger and depthwise convolutions, batch norm, activations...)
//     the share of time and of FLOP, the rate reached, the bytes moved per FLOP, and what each calibration predicts
//     for that class against the measurement;
//  3. the cost model calibrated on ResNet-50 alone, three ways: its whole-model time (the paper's method,
//     `calibrate --whole-seconds`), its per-layer times with a rate per op type (`calibrate --fit per-op`), and its
//     per-layer times with a core speed, a memory bandwidth and a fixed cost per layer (`calibrate --fit traffic`),
//     predicting every 2-stage split of models it was not fitted on (ResNet-18, MobileNetV2, GoogLeNet, and the
//     ONNX SqueezeNet 1.1 when ../shared/data/onnx-light is there), each stage run alone: the relative error
//     distribution (median and worst of |predicted / measured - 1| over the stages).
// Figures are medians over the repeats. Other processes on the cores inflate wall times (a run spans many of the
// scheduler's slices, a short layer few), so the load average is printed, and at one thread the stages' CPU times
// (the process's, which other processes do not inflate) are what the predictions are compared with.
// Usage: build/bench/pipesplit_exec_bench [REPEATS] [THREADS of parts 2 and 3] [1: part 1 only, 3: parts 2-3 only]

#include "core/quantile.hpp"
#include "cost/compute_model.hpp"
#include "exec/timing.hpp"
#include "measure/calibration_fit.hpp"
#include "measure/traffic_fit.hpp"
#include "models/model_file.hpp"
#include "models/onnx/onnx_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

using namespace pipesplit;
using namespace pipesplit::core;
using namespace pipesplit::cost;
using namespace pipesplit::models;

namespace {

exec::TimingOptions options(int repeats)
{
  exec::TimingOptions o;
  o.repeats = repeats;
  o.warmup  = 3;
  return o;
}

struct WholeRun {
  double whole_s = 0, whole_cpu_s = 0, layer_sum_s = 0;
  double fastest_whole_s = 0, fastest_layer_sum_s = 0; // the least disturbed repeats
  std::vector<LayerMeasurement> layers;
};

WholeRun time_whole(const Model& model, int threads, int repeats)
{
  const Chain chain = build_chain(model, ChainMode::Blocks);
  exec::StageRunner runner(model, chain, 0, chain.size() - 1, {threads, 1});
  const auto timing = exec::time_stage(runner, {exec::random_input(model, 1)}, options(repeats));
  WholeRun run{timing.whole.median, timing.whole_cpu.median, 0, timing.whole.fastest, 0, {}};
  for (size_t i = 0; i < timing.layers.size(); ++i) {
    run.layer_sum_s += timing.layers[i].median;
    run.fastest_layer_sum_s += timing.layers[i].fastest;
    run.layers.push_back({model.layers[i].name, threads, timing.layers[i].median, repeats, timing.layers[i].iqr()});
  }
  return run;
}

double stage_seconds(const Model& model, const Chain& chain, int first, int last, int threads, int repeats)
{
  exec::StageRunner runner(model, chain, first, last, {threads, 1});
  std::vector<exec::Tensor> inputs{exec::random_input(model, 1)};
  if (first > 0)
    inputs = exec::StageRunner(model, chain, 0, first - 1, {threads, 1}).run(inputs);
  // At one thread the CPU time: what the stage takes with the core to itself, whatever else the machine runs.
  const auto timing = exec::time_stage(runner, inputs, options(repeats));
  return threads == 1 ? timing.whole_cpu.median : timing.whole.median;
}

double predicted(const Chain& chain, int first, int last, const HostInfo& host, int threads)
{
  const ComputeModel compute;
  double seconds = 0;
  for (int b = first; b <= last; ++b)
    seconds += compute.block_seconds(chain.blocks[b], host, threads);
  return seconds;
}

struct Fit {
  std::string name;
  HostInfo host;
};

// The three calibrations of this machine from ResNet-50's run.
std::vector<Fit> fits_on(const Model& resnet50, const WholeRun& run, int threads)
{
  HostInfo here;
  here.name             = "here";
  here.cores            = exec::online_cores();
  here.core_speed_flops = 1e9; // the starting figure; every fit replaces it
  const ComputeModel compute;
  Fit whole{"whole-model", here}, per_op{"per-op", here}, traffic{"traffic", here};
  whole.host.core_speed_flops =
      *measure::fit_whole_model(resnet50, here, compute, threads, threads == 1 ? run.whole_cpu_s : run.whole_s)
           .calibration.core_speed_flops;
  const auto op_fit                 = measure::fit_per_layer(resnet50, run.layers, here, compute).calibration;
  per_op.host.core_speed_flops      = *op_fit.core_speed_flops;
  per_op.host.op_efficiency         = op_fit.op_efficiency;
  const auto traffic_fit            = measure::fit_traffic(resnet50, run.layers, here, compute).calibration;
  traffic.host.core_speed_flops     = *traffic_fit.core_speed_flops;
  traffic.host.memory_bandwidth_Bps = traffic_fit.memory_bandwidth_Bps.value_or(0);
  traffic.host.layer_overhead_s     = traffic_fit.layer_overhead_s.value_or(0);
  fmt::print("  whole-model fit: {:.3g} FLOP/s per core\n  per-op fit: {:.3g} FLOP/s per core, efficiencies",
             whole.host.core_speed_flops, per_op.host.core_speed_flops);
  for (const auto& [op, efficiency] : per_op.host.op_efficiency)
    fmt::print(" {} {:.3f}", op, efficiency);
  fmt::print("\n  traffic fit: {:.3g} FLOP/s per core, memory {:.3g} bytes/s, {:.2f} us per layer\n",
             traffic.host.core_speed_flops, traffic.host.memory_bandwidth_Bps, 1e6 * traffic.host.layer_overhead_s);
  return {whole, per_op, traffic};
}

// The class a layer's time is reported under: convolutions by shape (their kernels differ most), else the op.
std::string layer_class(const Layer& layer)
{
  if (layer.op != "conv")
    return layer.op;
  const auto& a = layer.attributes;
  if (a.groups > 1 && !layer.output_shape.empty() && a.groups == layer.output_shape[0])
    return "conv depthwise";
  if (a.kernel == std::vector<int64_t>{1, 1})
    return "conv 1x1";
  return "conv kxk";
}

void print_classes(const Model& model, const WholeRun& run, const std::vector<Fit>& fits, int threads)
{
  struct Sums {
    int layers     = 0;
    double seconds = 0, flop = 0, bytes = 0;
    std::vector<double> predicted;
  };
  std::map<std::string, Sums> classes;
  double total_s = 0, total_flop = 0;
  const ComputeModel compute;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    auto& sums = classes[layer_class(model.layers[i])];
    sums.predicted.resize(fits.size(), 0);
    ++sums.layers;
    sums.seconds += run.layers[i].seconds;
    sums.flop += model.layers[i].flop;
    sums.bytes += layer_traffic_bytes(model, static_cast<int>(i));
    for (size_t f = 0; f < fits.size(); ++f)
      sums.predicted[f] +=
          compute.block_seconds(measure::layer_block(model, static_cast<int>(i)), fits[f].host, threads);
    total_s += run.layers[i].seconds;
    total_flop += model.layers[i].flop;
  }
  fmt::print("  {} (sum of layers {:.2f} ms)\n    {:<15} {:>6} {:>7} {:>7} {:>9} {:>9}", model.name, 1e3 * total_s,
             "class", "layers", "time", "FLOP", "GFLOP/s", "bytes/F");
  for (const auto& fit : fits)
    fmt::print(" {:>12}", fit.name);
  fmt::print("\n");
  for (const auto& [name, s] : classes) {
    fmt::print("    {:<15} {:>6} {:>6.1f}% {:>6.1f}% {:>9.1f} {:>9.2f}", name, s.layers, 100 * s.seconds / total_s,
               100 * s.flop / total_flop, s.flop / s.seconds / 1e9, s.flop > 0 ? s.bytes / s.flop : 0.0);
    for (double p : s.predicted)
      fmt::print(" {:>+11.0f}%", 100 * (p / s.seconds - 1));
    fmt::print("\n");
  }
}

struct ErrorSummary {
  std::string model, fit;
  double median = 0, worst = 0;
  size_t stages = 0;
};

ErrorSummary summarise(const std::string& model, const std::string& fit, std::vector<double> errors)
{
  for (auto& e : errors)
    e = std::abs(e);
  return {model, fit, quantile(errors, 0.5), *std::max_element(errors.begin(), errors.end()), errors.size()};
}

// Every 2-stage split of `model`, each stage run alone, against each fit's prediction.
std::vector<ErrorSummary> check_splits(const Model& model, const std::vector<Fit>& fits, int threads, int repeats)
{
  const Chain chain = build_chain(model, ChainMode::Blocks);
  const int n       = chain.size();
  std::vector<std::vector<double>> errors(fits.size());
  fmt::print("  {} ({} blocks), every cut k: stages 0-k and k+1-{}; error of each fit per stage\n    {:>3} {:>9}",
             model.name, n, n - 1, "k", "first");
  for (const auto& fit : fits)
    fmt::print(" {:>11}", fit.name);
  fmt::print(" {:>9}", "second");
  for (const auto& fit : fits)
    fmt::print(" {:>11}", fit.name);
  fmt::print("\n");
  for (int k = 0; k + 1 < n; ++k) {
    fmt::print("    {:>3}", k);
    for (const auto& [first, last] : {std::pair{0, k}, std::pair{k + 1, n - 1}}) {
      const double measured = stage_seconds(model, chain, first, last, threads, repeats);
      fmt::print(" {:>7.2f}ms", 1e3 * measured);
      for (size_t f = 0; f < fits.size(); ++f) {
        const double error = predicted(chain, first, last, fits[f].host, threads) / measured - 1;
        errors[f].push_back(error);
        fmt::print(" {:>+10.1f}%", 100 * error);
      }
    }
    fmt::print("\n");
  }
  std::vector<ErrorSummary> summaries;
  for (size_t f = 0; f < fits.size(); ++f)
    summaries.push_back(summarise(model.name, fits[f].name, errors[f]));
  return summaries;
}

void whole_against_layers(int repeats)
{
  fmt::print("1. whole model against the sum of its layers\n");
  fmt::print("  {:<14} {:>7} {:>10} {:>10} {:>14} {:>12} {:>10} {:>14} {:>12}  {}\n", "model", "threads", "whole",
             "whole CPU", "sum of layers", "sum / whole", "sum / CPU", "fastest whole", "fastest sum",
             "load average after");
  for (const std::string name : {"resnet18", "resnet50", "mobilenet_v2"}) {
    const Model model = load_model(name);
    for (int t : {1, 2}) {
      const WholeRun run = time_whole(model, t, repeats);
      fmt::print("  {:<14} {:>7} {:>8.2f}ms {:>8.2f}ms {:>12.2f}ms {:>12.3f} {:>10.3f} {:>12.2f}ms {:>10.2f}ms  {}\n",
                 name, t, 1e3 * run.whole_s, 1e3 * run.whole_cpu_s, 1e3 * run.layer_sum_s,
                 run.layer_sum_s / run.whole_s, run.layer_sum_s / run.whole_cpu_s, 1e3 * run.fastest_whole_s,
                 1e3 * run.fastest_layer_sum_s, exec::load_average());
    }
  }
}

// The models the fits are checked on: zoo models, and the ONNX SqueezeNet when the shared data is there.
std::vector<Model> held_out_models()
{
  std::vector<Model> models{load_model("resnet18"), load_model("mobilenet_v2"), load_model("googlenet")};
  const auto squeezenet = std::filesystem::path(PIPESPLIT_SHARED_DATA_DIR) / "onnx-light" / "light_squeezenet.onnx";
  if (std::filesystem::exists(squeezenet))
    models.push_back(import_onnx(squeezenet.string()));
  return models;
}

void calibrations_against_splits(int threads, int repeats)
{
  const Model resnet50 = load_model("resnet50");
  const WholeRun run   = time_whole(resnet50, threads, repeats);
  fmt::print("\n2. calibrated on ResNet-50 at {} thread(s) (load average {})\n", threads, exec::load_average());
  const auto fits = fits_on(resnet50, run, threads);
  fmt::print("\n   where the time goes (per-layer medians of one whole run; each fit's error per class)\n");
  print_classes(resnet50, run, fits, threads);
  std::vector<ErrorSummary> summaries;
  const auto models = held_out_models();
  for (const auto& model : models)
    print_classes(model, time_whole(model, threads, repeats), fits, threads);
  fmt::print("\n3. every 2-stage split, each stage run alone\n");
  for (const auto& model : models)
    for (const auto& summary : check_splits(model, fits, threads, repeats))
      summaries.push_back(summary);
  fmt::print("\n   summary: |predicted / measured - 1| over the stages (load average {})\n", exec::load_average());
  fmt::print("    {:<14} {:<12} {:>7} {:>8} {:>8}\n", "model", "fit", "stages", "median", "worst");
  for (const auto& s : summaries)
    fmt::print("    {:<14} {:<12} {:>7} {:>7.1f}% {:>7.1f}%\n", s.model, s.fit, s.stages, 100 * s.median,
               100 * s.worst);
}

} // namespace

int main(int argc, char** argv)
{
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 20;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  const int parts   = argc > 3 ? std::atoi(argv[3]) : 0;
  fmt::print("{} ({} cores), {}, {} repeats after 3 warm-up, medians; load average {}\n\n", exec::cpu_model(),
             exec::online_cores(), exec::library_version(), repeats, exec::load_average());
  if (parts != 3)
    whole_against_layers(repeats);
  if (parts != 1)
    calibrations_against_splits(threads, repeats);
  return 0;
}
