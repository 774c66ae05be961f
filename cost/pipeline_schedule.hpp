#pragma once
// The pipelined schedule played out input by input, without SimGrid, under the sharing rules of SimGrid's fluid
// models: stages on one device share its cores, transfers pay their latency and then share their links by weighted
// max-min (max_min_sharing.hpp). It follows the replay's runtime exactly (sim/replay.cpp: source, bounded queues,
// one-deep sends, window or camera, drop-oldest), so where the closed form's loads do not add up to the period, the
// schedule still predicts it: the classic case is a sender that paces the pipeline on a shared medium (a WiFi cell)
// while another stage's transfer lands inside it, at a phase only the schedule knows.

#include "cost/cost_model.hpp"
#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

namespace pipesplit::cost {

// What to measure, as the replay does: its figures depend on the window when queues are still filling (latency).
struct ScheduleOptions {
  long long warmup     = 50;  // results delivered before measuring
  long long inferences = 500; // results measured
};

struct ScheduleResult {
  double period_s        = 0; // (time of the last measured result - time of the last warm-up result) / inferences
  double first_latency_s = 0;
  double latency_p50_s   = 0; // of the measured results
  long long emitted      = 0;
  long long delivered    = 0;
  long long dropped      = 0;
  bool stalled           = false; // nothing left to happen before every input was delivered or dropped
};

ScheduleResult play_schedule(const Problem& problem, const Placement& placement, const Prediction& prediction,
                             const ScheduleOptions& options = {});

// The prediction the reports show. Where the pipeline's activities meet (closed_form_is_exact() says where: transfers
// on one link, stages on one device, a window, a camera that makes inputs queue) it adds the schedule's period as a
// load ("schedule": activities competing), the bottleneck when the phases make them compete, and takes the
// schedule's first and median latencies. Under lv08, whose 13-fold latencies let one stage's transfer land inside
// another's on a shared medium, always; under ideal only there, elsewhere the closed form is the schedule. ns-3 has
// no fluid model: the closed form.
Prediction predict_with_contention(const Problem& problem, const Placement& placement, Prediction closed_form,
                                   const ScheduleOptions& options = {});

} // namespace pipesplit::cost
