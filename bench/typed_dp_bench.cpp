// DP over device types against the other exact methods on PipeEdge's kind of platform (many boards of two types):
// ViT-Large on 16, 32 and 64 boards, 20 seeded instances each (profiles jittered), CPU seconds per solve, median
// and worst: the default solver as `pipesplit solve` runs it, the DP over device types alone, the DP over symmetry
// classes, and the branch and bound's search (no DP shortcut, stopped at 10 s). Then where the DP over types
// overtakes the DP over classes (the default solver's choice). Not a test: timings depend on the machine.
// Usage: pipesplit_typed_dp_bench [COUNT] (instances per set, default 20)
//        pipesplit_typed_dp_bench --write-scenario DIR: writes a 64-board platform of two types (32 of 4 cores at
//        5 GFLOP/s, 32 of one core at 60 GFLOP/s, 940 Mbit/s cables to a switch) and scenarios of the zoo's ViT-B/16
//        on it (block and layer chains), for timing whole `pipesplit solve` processes.

#include "bench/bench_instances.hpp"
#include "core/output_file.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/solver.hpp"
#include "tests/support/random_instances.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace pipesplit::solver;
using namespace pipesplit::bench;

namespace {

double cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

struct Timed {
  SolveResult result;
  double cpu_s;
};

Timed timed_solve(const Problem& problem, const SolveOptions& options)
{
  const double start = cpu_seconds();
  SolveResult result = solve(problem, options);
  return {std::move(result), cpu_seconds() - start};
}

SolveOptions with_solver(SolverKind kind, bool dp_shortcut = true, double limit_s = 0)
{
  SolveOptions options;
  options.solver       = kind;
  options.dp_shortcut  = dp_shortcut;
  options.time_limit_s = limit_s;
  return options;
}

// One set: `count` seeded ViT-Large instances on `hosts` boards, each solved by every method.
void vit_row(int hosts, int count)
{
  const std::vector<std::pair<const char*, SolveOptions>> methods{
      {"default", with_solver(SolverKind::BranchAndBound)},
      {"typedp", with_solver(SolverKind::TypeDynamicProgramming)},
      {"dp", with_solver(SolverKind::DynamicProgramming)},
      {"bnb search", with_solver(SolverKind::BranchAndBound, false, 10)}};
  std::vector<std::vector<double>> cpu(methods.size());
  int agree = 0, proven = 0;
  for (int seed = 0; seed < count; ++seed) {
    const Problem problem = vit_large_two_types(hosts, 100 * hosts + seed);
    std::vector<SolveResult> results;
    for (size_t m = 0; m < methods.size(); ++m) {
      Timed timed = timed_solve(problem, methods[m].second);
      cpu[m].push_back(timed.cpu_s);
      results.push_back(std::move(timed.result));
    }
    proven += results.back().optimal;
    bool same = true;
    for (const SolveResult& r : results)
      same &= r.prediction.period_s == results[1].prediction.period_s &&
              r.prediction.latency_s == results[1].prediction.latency_s;
    agree += same;
  }
  fmt::print("ViT-Large, {:>2} boards of 2 types", hosts);
  for (const auto& times : cpu)
    fmt::print(" | {:>7.4f} {:>7.4f}", median(times), worst(times));
  fmt::print(" | {:>2}/{:<2} {:>2}/{:<2}\n", agree, count, proven, count);
}

// The DP over classes and the DP over types alone (median CPU seconds of 5 solves) on transformer chains.
void crossover_row(int hosts, int blocks)
{
  const Problem problem = make_problem(star(two_types(hosts, 125e6), 50e-6), transformer_chain(blocks), false, -1);
  std::vector<double> dp, typed;
  for (int run = 0; run < 5; ++run) {
    dp.push_back(timed_solve(problem, with_solver(SolverKind::DynamicProgramming)).cpu_s);
    typed.push_back(timed_solve(problem, with_solver(SolverKind::TypeDynamicProgramming)).cpu_s);
  }
  const size_t states = static_cast<size_t>(blocks + 1) * (hosts / 2 + 1) * (hosts - hosts / 2 + 1) * 3;
  fmt::print("{:>4} boards x {:>3} blocks {:>10} {:>9.5f} {:>9.5f} {:>6.2f}\n", hosts, blocks, states, median(dp),
             median(typed), median(dp) / median(typed));
}

void write_scenario(const std::string& folder)
{
  Platform platform = star(two_types(64, 940e6 / 8), 50e-6);
  pipesplit::test::write_platform_file(platform, folder + "/two_types_64.xml");
  for (const char* chain : {"blocks", "layers"})
    pipesplit::core::write_file_atomically(
        fmt::format("{}/vit_b_16_{}.yaml", folder, chain),
        fmt::format("name: vit_b_16_{}_two_types_64\nplatform: two_types_64.xml\nmodel: vit_b_16\nchain: {}\n", chain,
                    chain));
}

} // namespace

int main(int argc, char** argv)
{
  if (argc > 2 && std::string(argv[1]) == "--write-scenario") {
    write_scenario(argv[2]);
    return 0;
  }
  const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  fmt::print("CPU seconds per solve, median and worst of {} seeded instances per set. agree: every method found the "
             "same period and latency;\nproven: the search alone proved it within 10 s.\n\n",
             count);
  fmt::print("{:<31} | {:^15} | {:^15} | {:^15} | {:^15} | agree proven\n", "set", "default", "typedp", "dp (classes)",
             "bnb search");
  for (int hosts : {16, 32, 64})
    vit_row(hosts, count);
  fmt::print("\nDP over classes against DP over types (median CPU s of 5), two types on a star, transformer chains.\n"
             "{:<24} {:>10} {:>9} {:>9} {:>6}\n",
             "instance", "DP states", "dp", "typedp", "ratio");
  for (int hosts : {2, 4, 8, 16, 32})
    for (int blocks : {12, 24, 50, 96})
      crossover_row(hosts, blocks);
  return 0;
}
