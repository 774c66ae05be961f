// How far under the simulation the closed form's period falls on a saturated shared link whose transfers have latency
// (README, "Where the replay and the model part ways"): the link idles while one transfer waits out its latency and
// the others have already been sent. Random instances of the replay test's kind, kept when that is the only reason
// the closed form can part from the replay, each replayed under the ideal network model; beside it, the gap of the
// prediction the reports show, which plays the schedule out there (pipeline_schedule.hpp).

#include "cost/pipeline_schedule.hpp"
#include "sim/replay.hpp"
#include "solver/search_space.hpp"
#include "tests/support/model_limits.hpp"
#include "tests/support/random_instances.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

using namespace pipesplit;
using namespace pipesplit::cost;
using pipesplit::solver::evaluate_placement;

namespace {

double quantile(const std::vector<double>& sorted, double q)
{
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
}

bool only_the_link_idles(const Problem& problem, const Placement& placement, const Prediction& prediction)
{
  return test::saturated_link_with_latency(problem, prediction) && test::cores_pack(problem, placement) &&
         !test::small_window(problem) && !test::fatpipe_with_unequal_latencies(problem, prediction);
}

} // namespace

int main()
{
  constexpr int wanted = 100, tries = 20'000;
  std::mt19937_64 rng(4242);
  const auto directory = std::filesystem::temp_directory_path() / "pipesplit_replay_gap_bench";
  std::filesystem::create_directories(directory);
  std::vector<double> gaps, reported_gaps;
  int tried = 0;
  for (; tried < tries && static_cast<int>(gaps.size()) < wanted; ++tried) {
    Problem problem = test::random_problem(rng, {4, 6});
    for (auto& host : problem.platform.hosts)
      host.memory_bytes = 0; // memory does not change timing
    Placement placement         = test::random_placement(rng, problem);
    const Prediction prediction = evaluate_placement(problem, placement);
    if (!only_the_link_idles(problem, placement, prediction))
      continue;
    test::write_platform_file(problem.platform, (directory / "platform.xml").string());
    sim::ReplayOptions options;
    options.inferences = 1000;
    options.warmup     = 300;
    const auto replay  = sim::replay_in_child(problem, placement, prediction, options);
    if (!replay.complete())
      continue;
    gaps.push_back(replay.period_s / prediction.period_s - 1);
    const Prediction reported =
        predict_with_contention(problem, placement, prediction, {options.warmup, options.inferences});
    reported_gaps.push_back(replay.period_s / reported.period_s - 1);
  }
  std::filesystem::remove_all(directory);
  std::sort(gaps.begin(), gaps.end());
  std::sort(reported_gaps.begin(), reported_gaps.end());
  fmt::print("Saturated shared link with latency: simulated period over predicted, minus 1 (ideal network model)\n");
  fmt::print("{} cases among {} random instances (seed 4242, <= 4 devices, <= 6 blocks), 1000 inferences after 300\n",
             gaps.size(), tried);
  if (gaps.empty())
    return 1;
  for (const auto& [name, sorted] : {std::pair{"closed form", &gaps}, std::pair{"reported (schedule)", &reported_gaps}})
    fmt::print("{:<20} min {:.4f}%  median {:.4f}%  p90 {:.4f}%  max {:.4f}%\n", name, 100 * sorted->front(),
               100 * quantile(*sorted, 0.5), 100 * quantile(*sorted, 0.9), 100 * sorted->back());
  return 0;
}
