#include "sim/replay_result.hpp"

namespace pipesplit::sim {

nlohmann::json to_json(const ReplayResult& r)
{
  nlohmann::json out = {{"network", r.network},
                        {"emitted", r.emitted},
                        {"delivered", r.delivered},
                        {"dropped", r.dropped},
                        {"expected", r.expected},
                        {"complete", r.complete()},
                        {"window_start_s", r.window_start_s},
                        {"window_end_s", r.window_end_s},
                        {"measured", r.measured},
                        {"period_s", r.period_s},
                        {"throughput_ips", r.throughput_ips},
                        {"first_latency_s", r.first_latency_s},
                        {"latency_s",
                         {{"mean", r.latency_mean_s},
                          {"p50", r.latency_p50_s},
                          {"p95", r.latency_p95_s},
                          {"p99", r.latency_p99_s},
                          {"max", r.latency_max_s}}},
                        {"simulated_s", r.simulated_s},
                        {"transient_results", r.transient_results}};
  out["resources"]   = nlohmann::json::array();
  for (const auto& u : r.resources)
    out["resources"].push_back({{"kind", to_string(u.kind)},
                                {"name", u.name},
                                {"busy_s", u.busy_s},
                                {"utilisation", u.utilisation},
                                {"bytes", u.bytes}});
  if (r.energy_measured) {
    out["energy"] = {
        {"per_inference_J", r.energy_per_inference_J}, {"power_W", r.power_W}, {"uses", nlohmann::json::array()}};
    for (const auto& e : r.energy)
      out["energy"]["uses"].push_back(
          {{"kind", to_string(e.kind)}, {"name", e.name}, {"energy_J", e.energy_J}, {"power_W", e.power_W}});
  }
  out["lanes"]    = r.lanes;
  out["timeline"] = nlohmann::json::array();
  for (const auto& e : r.timeline)
    out["timeline"].push_back(
        {{"lane", e.lane}, {"kind", e.kind}, {"input", e.input}, {"start_s", e.start_s}, {"end_s", e.end_s}});
  return out;
}

ReplayResult replay_result_from_json(const nlohmann::json& in)
{
  ReplayResult r;
  r.network           = in.at("network");
  r.emitted           = in.at("emitted");
  r.delivered         = in.at("delivered");
  r.dropped           = in.at("dropped");
  r.expected          = in.at("expected");
  r.window_start_s    = in.at("window_start_s");
  r.window_end_s      = in.at("window_end_s");
  r.measured          = in.at("measured");
  r.period_s          = in.at("period_s");
  r.throughput_ips    = in.at("throughput_ips");
  r.first_latency_s   = in.at("first_latency_s");
  const auto& latency = in.at("latency_s");
  r.latency_mean_s    = latency.at("mean");
  r.latency_p50_s     = latency.at("p50");
  r.latency_p95_s     = latency.at("p95");
  r.latency_p99_s     = latency.at("p99");
  r.latency_max_s     = latency.at("max");
  r.simulated_s       = in.at("simulated_s");
  r.transient_results = in.at("transient_results");
  for (const auto& u : in.at("resources"))
    r.resources.push_back(ResourceUse{u.at("kind") == "link" ? ResourceKind::Link : ResourceKind::Device, u.at("name"),
                                      u.at("busy_s"), u.at("utilisation"), u.at("bytes")});
  if (in.contains("energy")) {
    const auto& energy       = in.at("energy");
    r.energy_measured        = true;
    r.energy_per_inference_J = energy.at("per_inference_J");
    r.power_W                = energy.at("power_W");
    for (const auto& e : energy.at("uses"))
      r.energy.push_back(EnergyUse{e.at("kind") == "link" ? ResourceKind::Link : ResourceKind::Device, e.at("name"),
                                   e.at("energy_J"), e.at("power_W")});
  }
  r.lanes = in.at("lanes").get<std::vector<std::string>>();
  for (const auto& e : in.at("timeline"))
    r.timeline.push_back(TimelineEvent{e.at("lane"), e.at("kind"), e.at("input"), e.at("start_s"), e.at("end_s")});
  return r;
}

} // namespace pipesplit::sim
