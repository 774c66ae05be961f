// Sweep benchmark: the analytic 100 x 100 grid of bench/resnet50_grid.yaml (ResNet-50 on four Pi 4 boards), on
// one and two worker processes, median of 3 runs each. Target: under 30 s on 2 cores.

#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

int main()
{
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  using namespace pipesplit::analysis;
  const SweepSpec spec = read_sweep_file(std::string(PIPESPLIT_SOURCE_DIR) + "/bench/resnet50_grid.yaml");
  const auto dir       = std::filesystem::temp_directory_path() / "pipesplit_sweep_bench";
  fmt::print("Sweep {}: {} points (analytic: solver, best single device, closed form)\n\n", spec.name,
             spec.point_count());
  fmt::print("{:>5} | {:>10} | {:>10} | {}\n", "jobs", "median s", "points/s", "target (< 30 s)");
  for (int jobs : {1, 2}) {
    std::vector<double> walls;
    for (int run = 0; run < 3; ++run) {
      std::filesystem::remove_all(dir);
      SweepRunOptions options;
      options.out_dir = dir.string();
      options.jobs    = jobs;
      walls.push_back(run_sweep(spec, options).wall_s);
    }
    std::sort(walls.begin(), walls.end());
    const double median = walls[1];
    fmt::print("{:>5} | {:>10.2f} | {:>10.0f} | {}\n", jobs, median, spec.point_count() / median,
               median < 30 ? "met" : "MISSED");
  }
  std::filesystem::remove_all(dir);
  return 0;
}
