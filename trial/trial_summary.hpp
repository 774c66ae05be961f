#pragma once
// A trial's measurements reduced to the figures the cost model and the simulator predict: period, throughput,
// latency percentiles, per-stage compute, per-hop transfer, utilisation, bytes per hop. Inputs before `warmup` are
// left out of the steady-state figures, as the simulator leaves out its warm-up.

#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "trial/layer.hpp"
#include "trial/trial_run.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace pipesplit::trial {

struct TrialSummary {
  long long inputs = 0, warmup = 0;   // results delivered; the first `warmup` of them are not measured
  long long cooldown = 0;             // nor the last `cooldown`: delivered after the source's last input (draining)
  long long emitted = 0, dropped = 0; // inputs the source sent, and those the queues dropped (drop-oldest)
  double period_s        = 0;         // over the measured results: time from the first to the last / their count - 1
  double throughput_ips  = 0;         // 1 / period
  double first_latency_s = 0, latency_p50_s = 0, latency_p95_s = 0, latency_max_s = 0; // sent -> delivered
  std::vector<double> compute_s;   // per stage: median compute seconds per input of the measured results' inputs
  std::vector<double> utilisation; // per stage: compute time / measured window
  std::vector<long long> computed; // per stage: inputs it computed over the whole trial
  std::vector<double> transfer_s;  // per hop: median time the link served one input (see summarise)
  std::vector<double> hop_bytes;   // per hop: tensor bytes received over the whole trial
};

TrialSummary summarise(const TrialMeasurement& measurement, long long warmup);

nlohmann::json to_json(const TrialSummary& summary);

} // namespace pipesplit::trial
