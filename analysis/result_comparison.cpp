#include "analysis/result_comparison.hpp"
#include "analysis/csv.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

using nlohmann::json;

std::optional<double> number_at(const json& document, const json::json_pointer& pointer)
{
  if (!document.contains(pointer) || !document.at(pointer).is_number())
    return std::nullopt;
  return document.at(pointer).get<double>();
}

std::string text_at(const json& document, const char* key)
{
  return document.contains(key) && document[key].is_string() ? document[key].get<std::string>() : "";
}

std::string bottleneck_of(const json& document)
{
  if (!document.contains("bottleneck") || !document["bottleneck"].is_object())
    return "";
  const json& b = document["bottleneck"];
  return fmt::format("{} {}", b.value("kind", ""), b.value("name", ""));
}

std::vector<StageFigures> stages_of(const json& document)
{
  std::vector<StageFigures> out;
  if (!document.contains("stages") || !document["stages"].is_array())
    return out;
  for (const auto& stage : document["stages"])
    out.push_back({static_cast<int>(out.size()), stage.value("device", ""),
                   stage.value("first_layer_name", "") + " .. " + stage.value("last_layer_name", ""),
                   stage.value("threads", 0), stage.value("compute_s", 0.0)});
  return out;
}

std::string format_number(const std::optional<double>& value, bool precise)
{
  if (!value)
    return "";
  return precise ? fmt::format("{:.10g}", *value) : fmt::format("{:.4g}", *value);
}

// The figures of a run's result.json, or of a trial's (its prediction, simulation and measurement).
void read_figures(const json& document, ResultSummary& r)
{
  const bool trial          = r.kind == "trial";
  const json& predicted     = trial ? document.at("prediction") : document;
  const std::string sim     = trial ? "/simulated" : "/simulation";
  r.model                   = text_at(predicted, "model");
  r.stages                  = stages_of(predicted);
  r.bottleneck              = bottleneck_of(predicted);
  r.period_s                = number_at(predicted, "/period_s"_json_pointer);
  r.throughput_ips          = number_at(predicted, "/throughput_ips"_json_pointer);
  r.latency_s               = number_at(predicted, "/latency_s"_json_pointer);
  r.speedup                 = number_at(document, "/speedup_vs_best_single"_json_pointer);
  r.sim_period_s            = number_at(document, json::json_pointer(sim + "/period_s"));
  r.sim_throughput_ips      = number_at(document, json::json_pointer(sim + "/throughput_ips"));
  r.sim_latency_s           = number_at(document, json::json_pointer(sim + "/first_latency_s"));
  r.measured_period_s       = number_at(document, "/measured/period_s"_json_pointer);
  r.measured_throughput_ips = number_at(document, "/measured/throughput_ips"_json_pointer);
  r.measured_latency_s      = number_at(document, "/measured/first_latency_s"_json_pointer);
  const auto single         = number_at(document, "/best_single/period_s"_json_pointer);
  if (single && r.sim_period_s && *r.sim_period_s > 0)
    r.sim_speedup = *single / *r.sim_period_s;
}

} // namespace

ResultSummary read_result(const std::string& path)
{
  const std::string file = fs::is_directory(path) ? (fs::path(path) / "result.json").string() : path;
  std::ifstream in(file);
  if (!in)
    throw InputError(file, "", "cannot read: give a result.json or a folder `pipesplit run` or `trial` wrote");
  const json document = json::parse(in, nullptr, false);
  if (document.is_discarded() || !document.is_object())
    throw InputError(file, "", "not a JSON object: give a result.json written by `pipesplit run` or `trial`");
  ResultSummary r;
  r.kind = document.contains("measured") ? "trial" : "run";
  if (r.kind == "trial" && !(document.contains("prediction") && document["prediction"].is_object()))
    throw InputError(file, "prediction", "missing: a trial's result.json from an older pipesplit; run the trial again");
  if (!document.contains("placement") || !(r.kind == "trial" || document.contains("period_s")))
    throw InputError(file, "placement", "missing: not a result of `pipesplit run` (or of a run that found none)");
  r.path      = file;
  r.scenario  = text_at(document, "scenario");
  r.placement = text_at(document, "placement");
  read_figures(document, r);
  std::set<std::string> devices;
  for (const auto& stage : r.stages)
    devices.insert(stage.device);
  r.devices = static_cast<int>(devices.size());
  return r;
}

std::vector<ResultSummary> read_results(const std::vector<std::string>& paths)
{
  std::vector<ResultSummary> out;
  std::map<std::string, int> uses;
  for (const auto& path : paths) {
    out.push_back(read_result(path));
    const fs::path file(out.back().path);
    out.back().label = file.filename() == "result.json" && file.has_parent_path()
                           ? fs::path(file.parent_path()).lexically_normal().filename().string()
                           : file.stem().string();
    if (out.back().label.empty() || out.back().label == ".")
      out.back().label = file.parent_path().lexically_normal().string();
    ++uses[out.back().label];
  }
  for (auto& r : out)
    if (uses[r.label] > 1) // the same folder name twice: the paths tell them apart
      r.label = r.path;
  return out;
}

TextTable comparison_table(const std::vector<ResultSummary>& results, bool precise)
{
  TextTable table{{"result", "kind", "scenario", "model", "devices", "period_s", "sim_period_s", "measured_period_s",
                   "throughput_ips", "sim_throughput_ips", "measured_throughput_ips", "latency_s", "sim_latency_s",
                   "measured_latency_s", "speedup", "sim_speedup", "bottleneck", "placement"},
                  {}};
  auto n = [&](const std::optional<double>& v) { return format_number(v, precise); };
  for (const auto& r : results)
    table.rows.push_back({r.label, r.kind, r.scenario, r.model, std::to_string(r.devices), n(r.period_s),
                          n(r.sim_period_s), n(r.measured_period_s), n(r.throughput_ips), n(r.sim_throughput_ips),
                          n(r.measured_throughput_ips), n(r.latency_s), n(r.sim_latency_s), n(r.measured_latency_s),
                          n(r.speedup), n(r.sim_speedup), r.bottleneck, r.placement});
  return table;
}

TextTable stage_table(const std::vector<ResultSummary>& results, bool precise)
{
  for (const auto& r : results)
    if (r.model != results.front().model)
      throw InputError(r.path, "model",
                       fmt::format("'{}' differs from '{}' in {}: per-stage figures compare only results of one "
                                   "model (drop --stages to compare the whole placements)",
                                   r.model, results.front().model, results.front().path));
  TextTable table{{"result", "stage", "device", "layers", "threads", "compute_s"}, {}};
  for (const auto& r : results)
    for (const auto& s : r.stages)
      table.rows.push_back({r.label, std::to_string(s.stage), s.device, s.layers, std::to_string(s.threads),
                            format_number(s.compute_s, precise)});
  return table;
}

std::string to_markdown(const TextTable& table)
{
  auto line = [](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& cell : cells) {
      std::string escaped;
      for (const char c : cell)
        escaped += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
      out += " " + escaped + " |";
    }
    return out + "\n";
  };
  std::string out = line(table.header) + "|";
  for (size_t i = 0; i < table.header.size(); ++i)
    out += "---|";
  out += "\n";
  for (const auto& row : table.rows)
    out += line(row);
  return out;
}

std::string to_csv(const TextTable& table)
{
  std::string out = csv_line(table.header) + "\n";
  for (const auto& row : table.rows)
    out += csv_line(row) + "\n";
  return out;
}

} // namespace pipesplit::analysis
