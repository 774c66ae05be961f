#include "cost/measurement_window.hpp"

namespace pipesplit::cost {

MeasurementWindow::MeasurementWindow(long long warmup, long long inferences)
    : warmup_(warmup), inferences_(inferences), start_s_(warmup == 0 ? 0 : infinity)
{}

void MeasurementWindow::deliver(double now, double emitted_at)
{
  const long long rank = delivered_++; // 0-based rank of this delivery
  if (rank + 1 == warmup_)
    start_s_ = now;
  if (rank >= warmup_ && rank < warmup_ + inferences_) {
    latencies_.push_back(now - emitted_at);
    if (rank + 1 == warmup_ + inferences_)
      end_s_ = now;
  }
}

void MeasurementWindow::close(double now)
{
  if (end_s_ == infinity)
    end_s_ = now;
}

double MeasurementWindow::period_s() const
{
  return latencies_.empty() ? 0 : (end_s_ - start_s_) / static_cast<double>(latencies_.size());
}

} // namespace pipesplit::cost
