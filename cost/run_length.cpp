#include "cost/run_length.hpp"

#include <cmath>

namespace pipesplit::cost {

RunLength::RunLength(const Problem& problem, const Prediction& prediction, long long warmup, long long inferences)
{
  const Deployment& d  = problem.deployment;
  const int stages     = static_cast<int>(prediction.stages.size());
  const long long tail = d.source_rate_hz <= 0 ? problem.closed_loop_window(stages)
                                               : static_cast<long long>(stages) * (d.queue_depth + 2) + 2;
  results_             = warmup + inferences;
  planned_             = results_ + tail;
  cap_                 = planned_;
  if (d.queue_policy == QueuePolicy::DropOldest && d.source_rate_hz > 0) {
    // One input through every stage and transfer in turn takes at least a period: twice the frames the camera emits
    // meanwhile, per result, is ample.
    double serial_s = 0;
    for (const auto& stage : prediction.stages)
      serial_s += stage.compute_s;
    for (const auto& transfer : prediction.transfers)
      serial_s += transfer.time_s;
    cap_ += 2 * results_ * static_cast<long long>(std::ceil(d.source_rate_hz * serial_s));
  }
}

bool RunLength::more_inputs(long long emitted, long long delivered) const
{
  return emitted < planned_ || (emitted < cap_ && delivered < results_);
}

} // namespace pipesplit::cost
