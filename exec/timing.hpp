#pragma once
// Timing stages on this machine: warm-up runs, then repeats, each timing the whole stage and every layer in it;
// medians and interquartile ranges over the repeats. Wall-clock seconds (std::chrono::steady_clock).

#include "exec/stage_runner.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pipesplit::exec {

struct TimingOptions {
  int warmup  = 3;  // runs before the measured ones: first-touch page faults, oneDNN's kernel caches
  int repeats = 20; // measured runs
  // Called before each run (warm-up ones too) with (run, total runs), for a progress line; may be empty.
  std::function<void(int, int)> progress;
};

struct Spread {
  double median = 0, p25 = 0, p75 = 0; // seconds
  double fastest = 0;                  // the least disturbed repeat, when other processes share the cores
  double iqr() const { return p75 - p25; }
};

Spread spread_of(const std::vector<double>& seconds);

struct StageTiming {
  Spread whole; // the stage's own time per input (the layers back to back, nothing else)
  // The process's CPU seconds per input (every thread's, spinning included): at one thread, the time the stage
  // would take with the machine to itself, when other processes share the cores.
  Spread whole_cpu;
  std::vector<Spread> layers; // per layer of the stage, first_layer() first
  int repeats = 0;
};

// Runs `runner` on `inputs` warmup + repeats times.
StageTiming time_stage(StageRunner& runner, const std::vector<Tensor>& inputs, const TimingOptions& options);

// "AMD EPYC (2 cores)" from /proc/cpuinfo and the online processor count; the oneDNN version that runs the kernels.
std::string cpu_model();
int online_cores();
std::string library_version(); // "oneDNN 2.6.3"
std::string load_average();    // "0.52 0.31 0.20" (1, 5, 15 minutes; /proc/loadavg): is the machine quiet?

} // namespace pipesplit::exec
