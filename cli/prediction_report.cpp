#include "cli/prediction_report.hpp"
#include "cli/table.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pipesplit::cli {

static std::string layer_names(const Problem& problem, const Model& model, const Stage& stage)
{
  const auto& blocks = problem.chain.blocks;
  return model.layers[blocks[stage.first].first_layer].name + " .. " + model.layers[blocks[stage.last].last_layer].name;
}

static double stage_flop(const Problem& problem, const Stage& stage)
{
  double flop = 0;
  for (int b = stage.first; b <= stage.last; ++b)
    flop += problem.chain.blocks[b].flop;
  return flop;
}

void print_prediction(std::ostream& out, const Problem& problem, const Model& model, const Prediction& p)
{
  const auto& hosts = problem.platform.hosts;
  Table stages({"stage", "device", "blocks", "layers", "threads", "work", "compute", "memory"});
  for (size_t i = 0; i < p.stages.size(); ++i) {
    const auto& s = p.stages[i];
    stages.add({std::to_string(i), hosts[s.stage.device].name, fmt::format("{}-{}", s.stage.first, s.stage.last),
                layer_names(problem, model, s.stage), std::to_string(s.stage.threads),
                format_flop(stage_flop(problem, s.stage)),
                format_seconds(s.compute_s) + (s.measured ? " (measured)" : ""), format_bytes(s.memory_bytes)});
  }
  stages.print(out);
  if (!p.transfers.empty()) {
    out << '\n';
    Table transfers({"transfer", "bytes", "time"});
    for (const auto& t : p.transfers) {
      const std::string what = t.after_block < 0 ? "input"
                               : t.after_block == problem.chain.size() - 1
                                   ? "output"
                                   : fmt::format("after block {}", t.after_block);
      transfers.add({fmt::format("{} -> {} ({})", hosts[t.from].name, hosts[t.to].name, what), format_bytes(t.bytes),
                     format_seconds(t.time_s)});
    }
    transfers.print(out);
  }
  out << '\n';
  Table loads({"resource", "load per input", "utilisation"});
  for (const auto& load : p.loads)
    loads.add({load.label(), format_seconds(load.load_s),
               fmt::format("{:.1f}%", p.period_s > 0 ? 100 * load.load_s / p.period_s : 0)});
  loads.print(out);
  out << '\n';
  out << fmt::format("period      {}\n", format_seconds(p.period_s));
  out << fmt::format("throughput  {:.4g} inferences/s\n", p.throughput_ips);
  const bool scheduled =
      std::any_of(p.loads.begin(), p.loads.end(), [](const auto& l) { return l.kind == ResourceKind::Schedule; });
  out << fmt::format("latency     {} ({})\n", format_seconds(p.latency_s),
                     scheduled ? "the first input, meeting the next ones' transfers"
                               : "one input through an idle pipeline");
  if (!std::isnan(p.steady_latency_s))
    out << fmt::format("latency p50 {} (steady state)\n", format_seconds(p.steady_latency_s));
  out << fmt::format("bottleneck  {} ({})\n", p.bottleneck.label(), format_seconds(p.bottleneck.load_s));
  for (const auto& violation : p.violations)
    out << "VIOLATION   " << violation << '\n';
}

nlohmann::json prediction_to_json(const Problem& problem, const Model& model, const Prediction& p)
{
  using nlohmann::json;
  const auto& hosts  = problem.platform.hosts;
  const auto& blocks = problem.chain.blocks;
  json out;
  out["units"]          = {{"time", "s"}, {"size", "bytes"}, {"work", "FLOP"}, {"throughput", "inferences/s"}};
  out["model"]          = model.name;
  out["chain"]          = to_string(problem.chain.mode);
  out["blocks"]         = problem.chain.size();
  out["period_s"]       = p.period_s;
  out["throughput_ips"] = p.throughput_ips;
  out["latency_s"]      = p.latency_s;
  out["steady_latency_s"] =
      std::isnan(p.steady_latency_s) ? nlohmann::json(nullptr) : nlohmann::json(p.steady_latency_s);
  out["bottleneck"] = {
      {"kind", to_string(p.bottleneck.kind)}, {"name", p.bottleneck.name}, {"load_s", p.bottleneck.load_s}};
  out["stages"] = json::array();
  for (const auto& s : p.stages)
    out["stages"].push_back({{"device", hosts[s.stage.device].name},
                             {"first_layer", s.stage.first},
                             {"last_layer", s.stage.last},
                             {"first_layer_name", model.layers[blocks[s.stage.first].first_layer].name},
                             {"last_layer_name", model.layers[blocks[s.stage.last].last_layer].name},
                             {"threads", s.stage.threads},
                             {"flop", stage_flop(problem, s.stage)},
                             {"compute_s", s.compute_s},
                             {"measured", s.measured},
                             {"memory_bytes", s.memory_bytes}});
  out["transfers"] = json::array();
  for (const auto& t : p.transfers)
    out["transfers"].push_back({{"from", hosts[t.from].name},
                                {"to", hosts[t.to].name},
                                {"after_layer", t.after_block},
                                {"bytes", t.bytes},
                                {"time_s", t.time_s}});
  out["loads"] = json::array();
  for (const auto& l : p.loads)
    out["loads"].push_back({{"kind", to_string(l.kind)}, {"name", l.name}, {"load_s", l.load_s}});
  out["memory"] = json::array();
  for (const auto& m : p.memory)
    out["memory"].push_back(
        {{"device", hosts[m.device].name}, {"used_bytes", m.used_bytes}, {"capacity_bytes", m.capacity_bytes}});
  out["violations"] = p.violations;
  return out;
}

} // namespace pipesplit::cli
