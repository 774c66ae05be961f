#include "exec/timing.hpp"
#include "core/quantile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

namespace pipesplit::exec {

Spread spread_of(const std::vector<double>& seconds)
{
  return {quantile(seconds, 0.5), quantile(seconds, 0.25), quantile(seconds, 0.75),
          seconds.empty() ? 0.0 : *std::min_element(seconds.begin(), seconds.end())};
}

static double process_cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

StageTiming time_stage(StageRunner& runner, const std::vector<Tensor>& inputs, const TimingOptions& options)
{
  const int total = options.warmup + options.repeats;
  std::vector<double> whole, whole_cpu;
  std::vector<std::vector<double>> per_layer(static_cast<size_t>(runner.last_layer() - runner.first_layer() + 1));
  for (int run = 0; run < total; ++run) {
    if (options.progress)
      options.progress(run, total);
    std::vector<double> layer_seconds;
    const double cpu_start = process_cpu_seconds();
    const auto start       = std::chrono::steady_clock::now();
    runner.run_timed(inputs, layer_seconds);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu     = process_cpu_seconds() - cpu_start;
    if (run < options.warmup)
      continue;
    whole.push_back(seconds);
    whole_cpu.push_back(cpu);
    for (size_t i = 0; i < per_layer.size(); ++i)
      per_layer[i].push_back(layer_seconds[i]);
  }
  StageTiming timing;
  timing.whole     = spread_of(whole);
  timing.whole_cpu = spread_of(whole_cpu);
  timing.repeats   = options.repeats;
  for (const auto& seconds : per_layer)
    timing.layers.push_back(spread_of(seconds));
  return timing;
}

std::string cpu_model()
{
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos)
        return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "unknown CPU";
}

int online_cores()
{
  return static_cast<int>(std::thread::hardware_concurrency());
}

std::string load_average()
{
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return file ? one + " " + five + " " + fifteen : "unknown";
}

std::string library_version()
{
  const dnnl_version_t* version = dnnl_version();
  return fmt::format("oneDNN {}.{}.{}", version->major, version->minor, version->patch);
}

} // namespace pipesplit::exec
