#pragma once
// How many inputs a run emits, the same for the SimGrid replay and the schedule played out without it, so both
// measure the same results. Enough for `warmup` + `inferences` results, plus a tail that keeps the pipeline as full at
// the end of the measurement as at its start. Blocking queues deliver every input, so the count is known. Drop-oldest
// queues lose some: the camera goes on until the measured results are in, up to a cap (a pipeline that stopped
// delivering must not keep it going forever).

#include "cost/cost_model.hpp"
#include "cost/layer.hpp"
#include "cost/problem.hpp"

namespace pipesplit::cost {

class RunLength {
public:
  RunLength(const Problem& problem, const Prediction& prediction, long long warmup, long long inferences);
  // Whether to emit one more input, decided when the previous one has been handed over.
  bool more_inputs(long long emitted, long long delivered) const;

  // The most frames a camera may emit in one run (replay or schedule): 2e7, a few minutes of simulation.
  static constexpr double max_frames = 2e7;

private:
  long long results_ = 0; // warmup + inferences
  long long planned_ = 0; // results + tail
  long long cap_     = 0;
};

} // namespace pipesplit::cost
