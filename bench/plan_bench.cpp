// Planning benchmark (issue 16): wall time (median and worst of 5 runs), CPU time (median: the machine is shared, the
// wall time counts the other processes' turns too), nodes and proof of
//  - the fewest devices sustaining a target rate: 8 heterogeneous devices, a 50-block transformer-like chain,
//    device reuse, at most 5 cuts, at 1.5x, 2.5x and 3.5x the best single device's rate (target: the figure and its
//    tie-breaks proven in under 1 s);
//  - the Pareto front (throughput, latency, devices, energy) of ResNet-50 on 4 boards: a Jetson-Nano-class board
//    and three Pi 4 on a gigabit switch, with the shipped boards' power figures (target: under 5 s).
// Not a test: timings depend on the machine.

#include "bench/bench_instances.hpp"
#include "core/chain.hpp"
#include "models/model_file.hpp"
#include "solver/objective_search.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <vector>

using namespace pipesplit::solver;

namespace {

struct Board {
  int cores;
  double core_speed; // FLOP/s
  PowerState power;
  double cost;
};

// Boards on a switch, each with a full-duplex cable (two SHARED halves) of `link_Bps`, 50 us.
Platform switch_of(const std::vector<Board>& boards, double link_Bps)
{
  Platform p;
  p.file = "bench";
  for (size_t i = 0; i < boards.size(); ++i) {
    HostInfo host{.name = fmt::format("d{}", i), .cores = boards[i].cores, .core_speed_flops = boards[i].core_speed};
    host.pstate_speeds = {boards[i].core_speed};
    host.power         = {boards[i].power};
    host.cost          = boards[i].cost;
    p.hosts.push_back(host);
    p.links.push_back(LinkInfo{fmt::format("d{}_UP", i), link_Bps, 50e-6, Sharing::Shared});
    p.links.push_back(LinkInfo{fmt::format("d{}_DOWN", i), link_Bps, 50e-6, Sharing::Shared});
  }
  const size_t n = boards.size();
  p.routes.assign(n, std::vector<std::optional<Route>>(n));
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b)
      if (a != b)
        p.routes[a][b] = Route{{static_cast<int>(2 * a), static_cast<int>(2 * b + 1)}};
  p.finalize();
  return p;
}

Chain transformer(int blocks)
{
  Chain chain;
  chain.model_name  = "transformer";
  chain.input_bytes = 3 * 224 * 224 * 4;
  for (int i = 0; i < blocks; ++i) {
    Block block;
    block.name        = fmt::format("b{}", i);
    block.first_layer = block.last_layer = i;
    block.flop = block.flop_by_op[i % 2 ? "fc" : "matmul"] = i % 2 ? 1.2e9 : 0.6e9;
    block.param_bytes                                      = 7e6;
    block.cut_bytes                                        = 197 * 768 * 4;
    chain.blocks.push_back(block);
  }
  return chain;
}

struct Times {
  double median, worst, cpu_median; // s
};

template <class F>
Times times_of(F&& run)
{
  std::vector<double> times, cpu;
  for (int i = 0; i < 5; ++i) {
    const auto start             = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    run();
    cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  return {times[2], times[4], cpu[2]};
}

} // namespace

int main()
{
  const PowerState pi{2.7, 2.7, 6.4}, jetson{1.5, 1.5, 10};
  std::mt19937_64 rng(16);
  std::uniform_real_distribution<double> jitter(0.7, 1.3);
  std::vector<Board> eight;
  const Board kinds[] = {{4, 5e9, pi, 55}, {1, 60e9, jetson, 99}, {4, 20e9, pi, 80}, {6, 8e9, pi, 70}};
  for (int i = 0; i < 8; ++i) {
    Board b = kinds[i % 4];
    b.core_speed *= jitter(rng);
    eight.push_back(b);
  }
  const Problem big = pipesplit::bench::make_problem(switch_of(eight, 125e6), transformer(50), true, 5);
  SolveOptions throughput_options;
  throughput_options.time_limit_s = 60;
  const SolveResult fastest       = best_single_device(big);
  fmt::print("fewest devices, 8 heterogeneous devices x 50 blocks, reuse, <= 5 cuts; best single device {:.3g}/s; "
             "5 runs each, time limit 2 s\n",
             fastest.prediction.throughput_ips);
  fmt::print("{:>6} {:>9} {:>8} {:>12} {:>12} {:>10} {:>12} {:>12} {:>10} {:>10}\n", "rate", "rate/s", "devices",
             "figure", "figure med s", "nodes", "whole", "whole med s", "worst s", "cpu med s");
  for (double share : {1.5, 2.5, 3.5}) {
    PlanRequest request;
    request.objective               = Objective::Devices;
    request.constraints.min_rate_hz = share * fastest.prediction.throughput_ips;
    request.time_limit_s            = 2;
    PlanResult result;
    std::vector<double> proofs;
    const Times wall = times_of([&] {
      result = plan(big, request);
      proofs.push_back(result.value_wall_s);
    });
    std::sort(proofs.begin(), proofs.end());
    fmt::print("{:>5.1f}x {:>9.3g} {:>8} {:>12} {:>12.4f} {:>10} {:>12} {:>12.4f} {:>10.4f} {:>10.4f}\n", share,
               request.constraints.min_rate_hz, result.figures.devices, result.value_proven ? "proven" : "not proven",
               proofs[2], result.nodes, result.optimal ? "proven" : "stopped", wall.median, wall.worst,
               wall.cpu_median);
    fmt::print("       placement {}\n", result.figures.text);
  }

  const Chain resnet50 = build_chain(pipesplit::models::load_model("resnet50"), ChainMode::Blocks);
  const Problem four   = pipesplit::bench::make_problem(
        switch_of({{1, 60e9, jetson, 99}, {4, 5e9, pi, 55}, {4, 5e9, pi, 55}, {4, 5e9, pi, 55}}, 117.5e6), resnet50,
        false, -1);
  PlanRequest front;
  front.time_limit_s = 60;
  front.front_axes   = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy};
  PlanResult result;
  const Times wall = times_of([&] { result = plan(four, front); });
  fmt::print("Pareto front, resnet50 ({} blocks) on a Jetson and 3 Pi 4: {} points, {}, {} placements scored, {} "
             "nodes, median {:.3f} s (CPU {:.3f} s)\n",
             resnet50.size(), result.front.size(), result.optimal ? "exact" : "not proven", result.evaluated,
             result.nodes, wall.median, wall.cpu_median);
  return 0;
}
