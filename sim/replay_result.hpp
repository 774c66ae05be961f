#pragma once
// What a replay measured, and its JSON form (the same fields travel from a child process and go to result files).

#include "cost/cost_model.hpp"
#include "sim/layer.hpp"
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pipesplit::sim {

struct ResourceUse {
  ResourceKind kind = ResourceKind::Device; // a device or a link
  std::string name;
  double busy_s      = 0; // device: core-seconds / cores; link: bytes x crossings / bandwidth, in the window
  double utilisation = 0; // busy_s / window
  double bytes       = 0; // links: bytes that crossed it in the window (every crossing counts)
};

// Energy SimGrid's plugins accounted for a host or a link over the measurement window.
struct EnergyUse {
  ResourceKind kind = ResourceKind::Device; // a device (host) or a link
  std::string name;
  double energy_J = 0; // in the window
  double power_W  = 0; // energy_J / window
};

struct TimelineEvent {
  std::string lane; // "stage 0 (pi0)", "pi0->pi1"
  std::string kind; // "compute" or "transfer"
  long long input = 0;
  double start_s  = 0;
  double end_s    = 0;
};

struct ReplayResult {
  std::string network;        // ideal, lv08 or ns3
  long long emitted      = 0; // inputs the source produced
  long long delivered    = 0; // results the sink received
  long long dropped      = 0; // inputs discarded by drop-oldest queues
  long long expected     = 0; // what the sink had to receive for the run to count as complete
  double window_start_s  = 0; // simulated time of the last warm-up delivery
  double window_end_s    = 0; // simulated time of the last measured delivery
  long long measured     = 0; // deliveries in the window
  double period_s        = 0; // window / measured
  double throughput_ips  = 0;
  double first_latency_s = 0; // latency of input 0 (an idle pipeline when the source is not faster than it)
  double latency_mean_s = 0, latency_p50_s = 0, latency_p95_s = 0, latency_p99_s = 0, latency_max_s = 0;
  double simulated_s = 0; // simulated time at the end of the run
  // Measured results still in the start-up transient (MSER-5 over the measured latencies, core/steady_state.hpp):
  // 0 when the warm-up was long enough; otherwise the figures are biased and the warm-up should grow by this much.
  long long transient_results = 0;
  std::vector<ResourceUse> resources;
  // Energy, when the platform declares power (the plugins were on): every host, then every link with a power.
  bool energy_measured          = false;
  double energy_per_inference_J = 0; // window energy of every host and link / measured results
  double power_W                = 0; // window energy / window
  std::vector<EnergyUse> energy;
  std::vector<std::string> lanes;      // timeline lanes in pipeline order: input, stage 0, cut 0, ..., output
  std::vector<TimelineEvent> timeline; // a few periods after warm-up
  bool complete() const { return delivered >= expected; }
};

nlohmann::json to_json(const ReplayResult& result);
ReplayResult replay_result_from_json(const nlohmann::json& json);

} // namespace pipesplit::sim
