#pragma once
// Under lv08, and under ideal where activities meet, the closed form's optimum may lose to another plan once transfers
// compete on shared links (pipeline_schedule.hpp). A plan's schedule period is never below its closed-form period (the
// loads are lower bounds on any schedule), so every plan that could beat the optimum's schedule has a closed-form
// period below it: branch and bound enumerates those, the schedule rates each, and the best is optimal under the
// schedule when the enumeration was complete. With automatic thread counts each plan keeps the counts the closed form
// prefers.

#include "cost/pipeline_schedule.hpp"
#include "solver/layer.hpp"
#include "solver/solver.hpp"

namespace pipesplit::solver {

struct ContentionOptions {
  ScheduleOptions schedule; // the chosen plan's window (the simulation's); plans are rated over <= 200 + 500 results
  size_t candidate_limit = 2000; // plans rated at most; beyond, the result is not proven optimal
};

// solve(), then the re-rating above: under lv08 always, under ideal when the closed form's best plan is not its own
// schedule (closed_form_is_exact()); ns-3 returns solve()'s result unchanged. The result's prediction is
// predict_with_contention()'s, its note says how many plans were rated.
SolveResult solve_with_contention(const Problem& problem, const SolveOptions& options,
                                  const ContentionOptions& contention = {});
// The same on a search space already made of the problem (solver/search_space.hpp), as solve() takes one.
SolveResult solve_with_contention(const SearchSpace& space, const SolveOptions& options,
                                  const ContentionOptions& contention = {});
// best_single_device(), with predict_with_contention()'s figures: the reference the speed-ups divide.
SolveResult best_single_device_with_contention(const Problem& problem, const ScheduleOptions& window);
SolveResult best_single_device_with_contention(const SearchSpace& space, const ScheduleOptions& window);

} // namespace pipesplit::solver
