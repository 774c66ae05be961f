#pragma once
// Which results a run measures: the `inferences` results delivered after the first `warmup` ones. The SimGrid replay
// and the schedule played out without it both count deliveries through this, so they measure the same results the
// same way: the window opens when the last warm-up result arrives (at 0 without warm-up) and closes with the last
// measured one; the period is the window's length per measured result.

#include "cost/layer.hpp"

#include <limits>
#include <vector>

namespace pipesplit::cost {

class MeasurementWindow {
public:
  MeasurementWindow(long long warmup, long long inferences);

  // A result delivered at `now`, emitted at `emitted_at`.
  void deliver(double now, double emitted_at);
  // A run that ended before every measured result came: the window closes at its end.
  void close(double now);

  long long delivered() const { return delivered_; }
  double start_s() const { return start_s_; } // infinity until the warm-up is delivered
  double end_s() const { return end_s_; }     // infinity until the measured results are delivered (or close())
  const std::vector<double>& latencies() const { return latencies_; }
  long long measured() const { return static_cast<long long>(latencies_.size()); }
  double period_s() const; // 0 when nothing was measured

private:
  static constexpr double infinity = std::numeric_limits<double>::infinity();
  long long warmup_;
  long long inferences_;
  long long delivered_ = 0;
  double start_s_      = infinity;
  double end_s_        = infinity;
  std::vector<double> latencies_;
};

} // namespace pipesplit::cost
