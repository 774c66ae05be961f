// Solver benchmark: nodes expanded and wall time (median of several runs) of branch and bound with our bounds and
// with the paper's transfer-only bound, on instances of the sizes the README quotes. Not a test: timings depend on
// the machine; compare the ratios printed side by side in one run.

#include "bench/bench_instances.hpp"
#include "core/chain.hpp"
#include "models/model_file.hpp"
#include "solver/solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace pipesplit::solver;
using namespace pipesplit::bench;
using pipesplit::models::load_model;

namespace {

struct Measure {
  SolveResult result;
  double median_s;
};

Measure measure(const Problem& problem, const SolveOptions& options, int runs)
{
  std::vector<double> walls;
  SolveResult result;
  for (int i = 0; i < runs; ++i) {
    result = solve(problem, options);
    walls.push_back(result.wall_s);
  }
  std::sort(walls.begin(), walls.end());
  return {result, walls[walls.size() / 2]};
}

std::string filter; // run only the instances whose name contains it (first command-line argument)

void row(const std::string& name, const Problem& problem, double target_s)
{
  if (name.find(filter) == std::string::npos)
    return;
  SolveOptions ours;
  ours.time_limit_s        = 60;
  SolveOptions search_only = ours;
  search_only.dp_shortcut  = false;
  SolveOptions paper;
  paper.bound              = BoundKind::TransferOnly;
  paper.time_limit_s       = 10;
  paper.node_limit         = 20'000'000;
  const Measure a          = measure(problem, ours, 5);
  const Measure b          = measure(problem, search_only, 3);
  const Measure c          = measure(problem, paper, 1);
  SolveOptions period_only = ours; // proves the period, breaks no latency tie
  period_only.gap          = 1e-9;
  const Measure d          = measure(problem, period_only, 3);
  const long long searched = b.result.nodes_expanded - b.result.dp_transitions;
  const double ratio       = static_cast<double>(c.result.nodes_expanded) / std::max<long long>(1, searched);
  fmt::print("{:<44} {:>8.4f} {:>3} {:>6} | {:>9} {:>9} {:>8.4f} | {:>9} {:>7.3f} {:>3} | {:>7.0f}{} | {:>6.4g} | "
             "{:>8.4f}\n",
             name, a.median_s, a.result.optimal ? "yes" : "NO",
             target_s > 0 ? (a.median_s < target_s ? "met" : "MISSED") : "-", b.result.dp_transitions, searched,
             b.median_s, c.result.nodes_expanded, c.median_s, c.result.optimal ? "yes" : "no", ratio,
             c.result.optimal ? " " : "+", a.result.prediction.period_s / c.result.prediction.period_s,
             d.result.prediction.period_s == a.result.prediction.period_s ? d.median_s : -1.0);
}

} // namespace

int main(int argc, char** argv)
{
  if (argc > 1)
    filter = argv[1];
  std::setvbuf(stdout, nullptr, _IOLBF, 0); // one line per instance as it finishes
  const Chain resnet50 = build_chain(load_model("resnet50"), ChainMode::Blocks);
  fmt::print(
      "Branch and bound. default: as `pipesplit solve` runs it (DP proves optimality where it is exact), median\n"
      "of 5 runs, stopped at 60 s. search: the same without the DP shortcut (DP still gives the first incumbent),\n"
      "median of 3. paper: the transfer-only bound (breadth-first, best-single incumbent), 1 run stopped at 10 s\n"
      "or 2e7 nodes.\n\n");
  fmt::print("{:<44} {:>8} {:>3} {:>6} | {:>9} {:>9} {:>8} | {:>9} {:>7} {:>3} | {:>8} | {:>6} | {:>8}\n", "instance",
             "default", "ok", "target", "DP trans.", "searched", "search s", "paper", "paper s", "ok", "ratio",
             "period", "period s");
  fmt::print("{:-<44} {:->8} {:->3} {:->6} | {:->9} {:->9} {:->8} | {:->9} {:->7} {:->3} | {:->8} | {:->6} | {:->8}\n",
             "", "", "", "", "", "", "", "", "", "", "", "", "");
  for (int devices : {4, 8, 16})
    row(fmt::format("resnet50 ({} blocks), {} hetero, 1 Gbit/s", resnet50.size(), devices),
        make_problem(star(heterogeneous(devices, 125e6, devices), 50e-6), resnet50, false, -1), 0);
  for (int devices : {4, 8, 16})
    row(fmt::format("resnet50, {} hetero, 1 Gbit/s, reuse, <= 5 cuts", devices),
        make_problem(star(heterogeneous(devices, 125e6, devices), 50e-6), resnet50, true, 5), 0);
  // The targets of the README.
  Chain fifty = transformer_chain(50);
  row("50-block chain, 8 hetero, reuse, <= 5 cuts",
      make_problem(star(heterogeneous(8, 125e6, 8), 50e-6), fifty, true, 5), 1.0);
  row("96-layer transformer, 16 of two types",
      make_problem(star(two_types(16, 125e6), 50e-6), transformer_chain(96), false, -1), 0);
  row("100-layer transformer, 16 of two types",
      make_problem(star(two_types(16, 125e6), 50e-6), transformer_chain(100), false, -1), 0.1);
  // High bandwidth: transfers cost almost nothing, the paper's bound prunes almost nothing.
  for (int devices : {4, 8})
    row(fmt::format("resnet50, {} hetero, 100 Gbit/s", devices),
        make_problem(star(heterogeneous(devices, 12.5e9, devices), 1e-6), resnet50, false, -1), 0);
  row("24-block chain, 4 hetero, 100 Gbit/s",
      make_problem(star(heterogeneous(4, 12.5e9, 4), 1e-6), transformer_chain(24), false, -1), 0);
  fmt::print("\nok: optimality proven. searched: partial placements the search evaluated. ratio: paper's nodes / "
             "searched ('+': the paper's\nsearch was stopped, the true ratio is larger). period: ours / the paper's "
             "result (< 1: its stopped search had not found the optimum).\nperiod s: median of 3 solves with --gap "
             "1e-9 (the period "
             "proven, no latency tie broken; -1 if its period differs).\n");
  return 0;
}
