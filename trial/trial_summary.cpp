#include "trial/trial_summary.hpp"
#include "core/quantile.hpp"

#include <algorithm>

namespace pipesplit::trial {

namespace {

// Stage `times` of `input` (a stage computes its inputs in increasing order).
const StageTimes& times_of(const std::vector<StageTimes>& times, long long input)
{
  return *std::lower_bound(times.begin(), times.end(), input,
                           [](const StageTimes& t, long long i) { return t.input < i; });
}

// Per stage: the median compute time and the busy share of the window, over the inputs first_input..last_input.
void summarise_stages(const TrialMeasurement& m, long long first_input, long long last_input, double window_s,
                      TrialSummary& out)
{
  for (const auto& stage : m.stages) {
    out.computed.push_back(static_cast<long long>(stage.size()));
    std::vector<double> compute;
    double busy = 0;
    for (const auto& t : stage)
      if (t.input >= first_input && t.input <= last_input) {
        compute.push_back(t.compute_end - t.compute_start);
        busy += compute.back();
      }
    out.compute_s.push_back(compute.empty() ? 0 : quantile(compute, 0.5));
    out.utilisation.push_back(window_s > 0 ? busy / window_s : 0);
  }
}

// A link serves inputs in order: result i's transfer starts when it is sent or when result i - 1 has arrived,
// whichever is later (before that it waits in socket buffers), and ends when the receiver has it all.
void summarise_hops(const TrialMeasurement& m, size_t w, size_t end, TrialSummary& out)
{
  const size_t stages = m.stages.size();
  for (size_t hop = 0; hop <= stages; ++hop) {
    const auto received = [&](size_t i) {
      return hop == stages ? m.delivered_s[i] : times_of(m.stages[hop], m.delivered_inputs[i]).receive_end;
    };
    std::vector<double> transfer;
    for (size_t i = std::max<size_t>(w, 1); i <= end; ++i) {
      const long long input = m.delivered_inputs[i];
      const double sent     = hop == 0 ? m.sent_s[input] : times_of(m.stages[hop - 1], input).send_start;
      transfer.push_back(received(i) - std::max(sent, received(i - 1)));
    }
    out.transfer_s.push_back(quantile(transfer, 0.5));
  }
}

// The last result of the measured window: the last delivered before the source sent its last input. After it the
// pipeline only drains (the earlier hops idle, the later ones catch up), faster than it runs while fed, which is the
// state the simulator measures: its source keeps emitting until the measured results are in.
size_t last_fed_result(const TrialMeasurement& m, size_t w)
{
  size_t end = w + 1;
  while (end + 1 < m.delivered_s.size() && m.delivered_s[end + 1] <= m.sent_s.back())
    ++end;
  return end;
}

} // namespace

TrialSummary summarise(const TrialMeasurement& m, long long warmup)
{
  TrialSummary out;
  out.inputs            = static_cast<long long>(m.delivered_s.size());
  out.emitted           = static_cast<long long>(m.sent_s.size());
  out.dropped           = m.dropped_total();
  out.warmup            = std::clamp(warmup, 0LL, std::max(0LL, out.inputs - 2));
  const auto w          = static_cast<size_t>(out.warmup);
  const size_t end      = last_fed_result(m, w);
  out.cooldown          = out.inputs - 1 - static_cast<long long>(end);
  const double window_s = m.delivered_s[end] - m.delivered_s[w];
  out.period_s          = window_s / static_cast<double>(end - w);
  out.throughput_ips    = 1 / out.period_s;
  auto latency          = [&m](size_t i) { return m.delivered_s[i] - m.sent_s[m.delivered_inputs[i]]; };
  std::vector<double> latencies;
  for (size_t i = w; i <= end; ++i)
    latencies.push_back(latency(i));
  out.first_latency_s = latency(0);
  out.latency_p50_s   = quantile(latencies, 0.5);
  out.latency_p95_s   = quantile(latencies, 0.95);
  out.latency_max_s   = *std::max_element(latencies.begin(), latencies.end());
  summarise_stages(m, m.delivered_inputs[w], m.delivered_inputs[end], window_s, out);
  summarise_hops(m, w, end, out);
  out.hop_bytes = m.hop_bytes;
  return out;
}

nlohmann::json to_json(const TrialSummary& s)
{
  return {{"inputs", s.inputs},
          {"warmup", s.warmup},
          {"cooldown", s.cooldown},
          {"emitted", s.emitted},
          {"dropped", s.dropped},
          {"period_s", s.period_s},
          {"throughput_ips", s.throughput_ips},
          {"first_latency_s", s.first_latency_s},
          {"latency_p50_s", s.latency_p50_s},
          {"latency_p95_s", s.latency_p95_s},
          {"latency_max_s", s.latency_max_s},
          {"compute_s", s.compute_s},
          {"utilisation", s.utilisation},
          {"computed", s.computed},
          {"transfer_s", s.transfer_s},
          {"hop_bytes", s.hop_bytes}};
}

} // namespace pipesplit::trial
