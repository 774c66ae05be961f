#include "trial/trial_summary.hpp"
#include "core/quantile.hpp"

#include <algorithm>

namespace pipesplit::trial {

TrialSummary summarise(const TrialMeasurement& m, long long warmup)
{
  TrialSummary out;
  out.inputs            = static_cast<long long>(m.delivered_s.size());
  out.warmup            = std::clamp(warmup, 0LL, std::max(0LL, out.inputs - 2));
  const auto w          = static_cast<size_t>(out.warmup);
  const double window_s = m.delivered_s.back() - m.delivered_s[w];
  out.period_s          = window_s / static_cast<double>(out.inputs - 1 - out.warmup);
  out.throughput_ips    = 1 / out.period_s;
  std::vector<double> latencies;
  for (size_t i = w; i < m.delivered_s.size(); ++i)
    latencies.push_back(m.delivered_s[i] - m.sent_s[i]);
  out.first_latency_s = m.delivered_s[0] - m.sent_s[0];
  out.latency_p50_s   = quantile(latencies, 0.5);
  out.latency_p95_s   = quantile(latencies, 0.95);
  out.latency_max_s   = *std::max_element(latencies.begin(), latencies.end());

  const size_t stages = m.stages.size();
  for (size_t s = 0; s < stages; ++s) {
    std::vector<double> compute;
    double busy = 0;
    for (size_t i = w; i < m.stages[s].size(); ++i) {
      compute.push_back(m.stages[s][i].compute_end - m.stages[s][i].compute_start);
      busy += compute.back();
    }
    out.compute_s.push_back(quantile(compute, 0.5));
    out.utilisation.push_back(window_s > 0 ? busy / window_s : 0);
  }
  // A link serves inputs in order: input i's transfer starts when it is sent or when input i - 1 has arrived,
  // whichever is later (before that it waits in socket buffers), and ends when the receiver has it all.
  for (size_t hop = 0; hop <= stages; ++hop) {
    const auto received = [&](size_t i) { return hop == stages ? m.delivered_s[i] : m.stages[hop][i].receive_end; };
    std::vector<double> transfer;
    for (size_t i = std::max<size_t>(w, 1); i < m.delivered_s.size(); ++i) {
      const double sent = hop == 0 ? m.sent_s[i] : m.stages[hop - 1][i].send_start;
      transfer.push_back(received(i) - std::max(sent, received(i - 1)));
    }
    out.transfer_s.push_back(quantile(transfer, 0.5));
  }
  out.hop_bytes = m.hop_bytes;
  return out;
}

nlohmann::json to_json(const TrialSummary& s)
{
  return {{"inputs", s.inputs},
          {"warmup", s.warmup},
          {"period_s", s.period_s},
          {"throughput_ips", s.throughput_ips},
          {"first_latency_s", s.first_latency_s},
          {"latency_p50_s", s.latency_p50_s},
          {"latency_p95_s", s.latency_p95_s},
          {"latency_max_s", s.latency_max_s},
          {"compute_s", s.compute_s},
          {"utilisation", s.utilisation},
          {"transfer_s", s.transfer_s},
          {"hop_bytes", s.hop_bytes}};
}

} // namespace pipesplit::trial
