// Real execution against the cost model, on this machine (oneDNN kernels, random weights):
//  1. whole-model time of ResNet-18, ResNet-50 and MobileNetV2 on 1 and 2 threads against the sum of the per-layer
//     medians (how far per-layer profiles add up to the model);
//  2. the cost model calibrated on ResNet-50 (its whole-model time, the paper's method; and its per-layer times,
//     per-op efficiencies) predicting every 2-stage split of ResNet-18 and MobileNetV2, each stage run alone: the
//     relative error distribution (median and worst of |predicted / measured - 1| over the stages).
// Figures are medians over the repeats. Other processes on the cores inflate wall times (a run spans many of the
// scheduler's slices, a short layer few), so the load average is printed, and at one thread the stages' CPU times
// (the process's, which other processes do not inflate) are what the predictions are compared with.
// Usage: build/bench/pipesplit_exec_bench [REPEATS] [THREADS of the split check]

#include "core/quantile.hpp"
#include "cost/compute_model.hpp"
#include "exec/timing.hpp"
#include "measure/calibration_fit.hpp"
#include "models/model_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

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
  std::vector<LayerMeasurement> layers;
};

WholeRun time_whole(const Model& model, int threads, int repeats)
{
  const Chain chain = build_chain(model, ChainMode::Blocks);
  exec::StageRunner runner(model, chain, 0, chain.size() - 1, {threads, 1});
  const auto timing = exec::time_stage(runner, {exec::random_input(model, 1)}, options(repeats));
  WholeRun run{timing.whole.median, timing.whole_cpu.median, 0, {}};
  for (size_t i = 0; i < timing.layers.size(); ++i) {
    run.layer_sum_s += timing.layers[i].median;
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

void report_errors(const std::string& label, std::vector<double> errors)
{
  for (auto& e : errors)
    e = std::abs(e);
  fmt::print("  {:<44} median |error| {:5.1f}%, worst {:6.1f}% ({} stages)\n", label, 100 * quantile(errors, 0.5),
             100 * *std::max_element(errors.begin(), errors.end()), errors.size());
}

} // namespace

int main(int argc, char** argv)
{
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 20;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  fmt::print("{} ({} cores), {}, {} repeats after 3 warm-up, medians; load average {}\n\n", exec::cpu_model(),
             exec::online_cores(), exec::library_version(), repeats, exec::load_average());

  fmt::print("1. whole model against the sum of its layers\n");
  fmt::print("  {:<14} {:>7} {:>10} {:>10} {:>14} {:>12} {:>10}\n", "model", "threads", "whole", "whole CPU",
             "sum of layers", "sum / whole", "sum / CPU");
  WholeRun resnet50_run;
  for (const std::string name : {"resnet18", "resnet50", "mobilenet_v2"}) {
    const Model model = load_model(name);
    for (int t : {1, 2}) {
      const WholeRun run = time_whole(model, t, repeats);
      if (name == "resnet50" && t == threads)
        resnet50_run = run;
      fmt::print("  {:<14} {:>7} {:>8.2f}ms {:>8.2f}ms {:>12.2f}ms {:>12.3f} {:>10.3f}\n", name, t, 1e3 * run.whole_s,
                 1e3 * run.whole_cpu_s, 1e3 * run.layer_sum_s, run.layer_sum_s / run.whole_s,
                 run.layer_sum_s / run.whole_cpu_s);
    }
  }

  // The device: this machine, its speed to be fitted (the starting figure only matters for the report).
  HostInfo here;
  here.name             = "here";
  here.cores            = exec::online_cores();
  here.core_speed_flops = 1e9;
  const ComputeModel compute;
  const Model resnet50       = load_model("resnet50");
  HostInfo whole_fit         = here;
  whole_fit.core_speed_flops = *measure::fit_whole_model(resnet50, here, compute, threads,
                                                         threads == 1 ? resnet50_run.whole_cpu_s : resnet50_run.whole_s)
                                    .calibration.core_speed_flops;
  const auto per_layer    = measure::fit_per_layer(resnet50, resnet50_run.layers, here, compute).calibration;
  HostInfo op_fit         = here;
  op_fit.core_speed_flops = *per_layer.core_speed_flops;
  op_fit.op_efficiency    = per_layer.op_efficiency;
  fmt::print("\n2. cost model calibrated on ResNet-50 at {} thread(s): whole-model fit {:.3g} FLOP/s per core; "
             "per-op fit {:.3g} FLOP/s per core, efficiencies",
             threads, whole_fit.core_speed_flops, op_fit.core_speed_flops);
  for (const auto& [op, efficiency] : op_fit.op_efficiency)
    fmt::print(" {} {:.3f}", op, efficiency);
  fmt::print("\n");

  for (const std::string name : {"resnet18", "mobilenet_v2"}) {
    const Model model = load_model(name);
    const Chain chain = build_chain(model, ChainMode::Blocks);
    const int n       = chain.size();
    std::vector<double> whole_errors, op_errors;
    fmt::print("  {} ({} blocks), every cut k: stages 0-k and k+1-{}\n", name, n, n - 1);
    fmt::print("    {:>3} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "k", "meas 1", "whole-fit", "per-op", "meas 2",
               "whole-fit", "per-op");
    for (int k = 0; k + 1 < n; ++k) {
      const double first  = stage_seconds(model, chain, 0, k, threads, repeats);
      const double second = stage_seconds(model, chain, k + 1, n - 1, threads, repeats);
      const double w1     = predicted(chain, 0, k, whole_fit, threads),
                   w2     = predicted(chain, k + 1, n - 1, whole_fit, threads);
      const double o1 = predicted(chain, 0, k, op_fit, threads), o2 = predicted(chain, k + 1, n - 1, op_fit, threads);
      whole_errors.insert(whole_errors.end(), {w1 / first - 1, w2 / second - 1});
      op_errors.insert(op_errors.end(), {o1 / first - 1, o2 / second - 1});
      fmt::print("    {:>3} {:>8.2f}ms {:>+9.1f}% {:>+9.1f}% {:>8.2f}ms {:>+9.1f}% {:>+9.1f}%\n", k, 1e3 * first,
                 100 * (w1 / first - 1), 100 * (o1 / first - 1), 1e3 * second, 100 * (w2 / second - 1),
                 100 * (o2 / second - 1));
    }
    report_errors(name + ", whole-model fit (the paper's)", whole_errors);
    report_errors(name + ", per-op fit", op_errors);
  }
  return 0;
}
