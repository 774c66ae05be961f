// Sweep benchmark: the analytic 100 x 100 grid of bench/resnet50_grid.yaml (ResNet-50 on four Pi 4 boards), on
// one and two worker processes, median of 3 runs each. Target: under 30 s on 2 cores, and 10,000 points/s per core.
// Per core: points over the CPU seconds (user + system) of the parent and its workers, a figure that a machine
// shared with other work disturbs less than the wall time.

#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <sys/resource.h>

namespace {

// CPU seconds (user + system) of this process and its reaped children so far.
double cpu_seconds()
{
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
             1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  }
  return total;
}

} // namespace

int main()
{
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  using namespace pipesplit::analysis;
  const SweepSpec spec = read_sweep_file(std::string(PIPESPLIT_SOURCE_DIR) + "/bench/resnet50_grid.yaml");
  const auto dir       = std::filesystem::temp_directory_path() / "pipesplit_sweep_bench";
  fmt::print("Sweep {}: {} points (analytic: solver, best single device, closed form)\n\n", spec.name,
             spec.point_count());
  fmt::print("{:>5} | {:>10} | {:>10} | {:>14} | {}\n", "jobs", "median s", "points/s", "points/CPU s",
             "target (< 30 s)");
  for (int jobs : {1, 2}) {
    std::vector<double> walls, cpus;
    for (int run = 0; run < 3; ++run) {
      std::filesystem::remove_all(dir);
      SweepRunOptions options;
      options.out_dir         = dir.string();
      options.jobs            = jobs;
      const double cpu_before = cpu_seconds();
      walls.push_back(run_sweep(spec, options).wall_s);
      cpus.push_back(cpu_seconds() - cpu_before);
    }
    std::sort(walls.begin(), walls.end());
    std::sort(cpus.begin(), cpus.end());
    const double median = walls[1];
    fmt::print("{:>5} | {:>10.2f} | {:>10.0f} | {:>14.0f} | {}\n", jobs, median, spec.point_count() / median,
               spec.point_count() / cpus[1], median < 30 ? "met" : "MISSED");
  }
  std::filesystem::remove_all(dir);
  return 0;
}
