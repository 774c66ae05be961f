#include "cost/run_length.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

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
    // A camera much faster than the pipeline emits a frame per 1 / rate for every result: simulating them all can
    // take days. Refuse what would need more than max_frames; bound the rest, so that the run ends (and a run that
    // stops delivering ends incomplete, a simulation failure).
    const double expected = d.source_rate_hz * static_cast<double>(planned_) * prediction.period_s;
    if (expected > max_frames)
      throw InputError("", "deployment.source_rate_hz",
                       fmt::format("a {:g} Hz camera feeding a pipeline of one result per {:.3g} s emits about {:.3g} "
                                   "frames for {} results, more than the {:.3g} a run may simulate: lower the rate or "
                                   "the results measured",
                                   d.source_rate_hz, prediction.period_s, expected, results_, max_frames));
    const double extra = 2.0 * static_cast<double>(results_) * std::ceil(d.source_rate_hz * serial_s);
    cap_ += static_cast<long long>(std::min(extra, max_frames));
  }
}

bool RunLength::more_inputs(long long emitted, long long delivered) const
{
  return emitted < planned_ || (emitted < cap_ && delivered < results_);
}

} // namespace pipesplit::cost
