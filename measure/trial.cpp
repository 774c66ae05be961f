#include "measure/trial.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"
#include "cost/placement.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pipesplit::measure {

static double positive(const YamlField& field)
{
  const double value = field.as_double();
  if (!(value > 0))
    field.fail(fmt::format("must be > 0, got {}", value));
  return value;
}

Trial read_trial_file(const std::string& path, const Problem& problem)
{
  const YamlField root = YamlField::load_file(path);
  root.expect_keys({"format", "placement", "throughput_ips", "latency_s", "stages", "transfers"});
  root.expect_format("pipesplit-trial/1");
  Trial trial;
  trial.file                = path;
  const YamlField placement = root["placement"];
  trial.placement = parse_placement(placement.as_string(), problem, placement.where() + ": field 'placement'");
  if (root.has("throughput_ips"))
    trial.throughput_ips = positive(root["throughput_ips"]);
  if (root.has("latency_s"))
    trial.latency_s = positive(root["latency_s"]);
  if (root.has("stages")) {
    const YamlField stages = root["stages"];
    for (size_t i = 0; i < stages.size(); ++i) {
      const YamlField entry = stages.at(i);
      entry.expect_keys({"stage", "seconds"});
      const auto index = entry["stage"].as_int();
      if (index < 0 || index >= static_cast<int64_t>(trial.placement.stages.size()))
        entry["stage"].fail(fmt::format("the placement has stages 0-{}", trial.placement.stages.size() - 1));
      trial.stage_seconds.emplace_back(static_cast<int>(index), positive(entry["seconds"]));
    }
  }
  if (root.has("transfers")) {
    const YamlField transfers = root["transfers"];
    for (size_t i = 0; i < transfers.size(); ++i) {
      const YamlField entry = transfers.at(i);
      entry.expect_keys({"from", "to", "seconds"});
      const int from = problem.platform.host_index(entry["from"].as_string(), entry["from"].where());
      const int to   = problem.platform.host_index(entry["to"].as_string(), entry["to"].where());
      trial.transfer_seconds.emplace_back(from, to, positive(entry["seconds"]));
    }
  }
  return trial;
}

std::vector<Comparison> compare_trial(const Trial& trial, const Problem& problem, const Prediction& prediction)
{
  const auto& hosts = problem.platform.hosts;
  std::vector<Comparison> out;
  for (const auto& [index, seconds] : trial.stage_seconds) {
    const auto& stage = prediction.stages[index];
    out.push_back({fmt::format("stage {} ({}) compute", index, hosts[stage.stage.device].name), "s", "stage",
                   stage.compute_s, seconds});
  }
  for (const auto& [from, to, seconds] : trial.transfer_seconds) {
    const auto it =
        std::find_if(prediction.transfers.begin(), prediction.transfers.end(),
                     [&, from = from, to = to](const TransferPrediction& t) { return t.from == from && t.to == to; });
    if (it == prediction.transfers.end())
      throw InputError(trial.file, "transfers",
                       fmt::format("the placement sends nothing from {} to {}", hosts[from].name, hosts[to].name));
    out.push_back(
        {fmt::format("transfer {}->{}", hosts[from].name, hosts[to].name), "s", "transfer", it->time_s, seconds});
  }
  if (trial.throughput_ips)
    out.push_back({"throughput", "inferences/s", "throughput", prediction.throughput_ips, *trial.throughput_ips});
  if (trial.latency_s)
    out.push_back({"latency", "s", "latency", prediction.latency_s, *trial.latency_s});
  return out;
}

} // namespace pipesplit::measure
