#include "measure/calibration.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"

#include <fmt/format.h>

#include <fnmatch.h>

#include <cmath>

namespace pipesplit::measure {

static std::map<std::string, double> read_positive_map(const YamlField& node, bool at_most_one)
{
  std::map<std::string, double> out;
  for (const auto& key : node.keys()) {
    const double value = node[key].as_double();
    if (!(value > 0) || (at_most_one && value > 1))
      node[key].fail(fmt::format("must be within (0, {}], got {}", at_most_one ? "1" : "inf", value));
    out[key] = value;
  }
  return out;
}

Calibration read_calibration_file(const std::string& path)
{
  const YamlField root = YamlField::load_file(path);
  root.expect_keys({"format", "hosts"});
  root.expect_format(calibration_format_tag);
  Calibration calibration;
  const YamlField hosts = root["hosts"];
  for (const auto& pattern : hosts.keys()) {
    const YamlField entry = hosts[pattern];
    entry.expect_keys(
        {"core_speed_flops", "op_efficiency", "parallel_fraction", "memory_bandwidth_Bps", "layer_overhead_s", "fit"});
    HostCalibration host;
    if (entry.has("core_speed_flops")) {
      host.core_speed_flops = entry["core_speed_flops"].as_double();
      if (!(*host.core_speed_flops > 0))
        entry["core_speed_flops"].fail("must be > 0 FLOP/s");
    }
    if (entry.has("memory_bandwidth_Bps")) {
      host.memory_bandwidth_Bps = entry["memory_bandwidth_Bps"].as_double();
      if (!(*host.memory_bandwidth_Bps > 0))
        entry["memory_bandwidth_Bps"].fail("must be > 0 bytes/s");
    }
    if (entry.has("layer_overhead_s")) {
      host.layer_overhead_s = entry["layer_overhead_s"].as_double();
      if (!(*host.layer_overhead_s >= 0) || !std::isfinite(*host.layer_overhead_s))
        entry["layer_overhead_s"].fail("must be a finite number of seconds >= 0");
    }
    if (entry.has("op_efficiency"))
      host.op_efficiency = read_positive_map(entry["op_efficiency"], false);
    if (entry.has("parallel_fraction"))
      host.parallel_fraction = read_positive_map(entry["parallel_fraction"], true);
    if (entry.has("fit"))
      for (const auto& key : entry["fit"].keys())
        host.fit[key] = entry["fit"][key].as_string();
    calibration.hosts[pattern] = host;
    calibration.order.push_back(pattern);
  }
  return calibration;
}

std::string calibration_to_yaml(const Calibration& calibration)
{
  YAML::Emitter out;
  out.SetDoublePrecision(10);
  out << YAML::Comment("pipesplit calibration (units: core_speed_flops in FLOP/s per core, memory_bandwidth_Bps "
                       "in bytes/s, layer_overhead_s in s; efficiencies and fractions are ratios)");
  out << YAML::BeginMap << YAML::Key << "format" << YAML::Value << calibration_format_tag;
  out << YAML::Key << "hosts" << YAML::Value << YAML::BeginMap;
  for (const auto& pattern : calibration.order) {
    const HostCalibration& host = calibration.hosts.at(pattern);
    out << YAML::Key << pattern << YAML::Value << YAML::BeginMap;
    if (host.core_speed_flops)
      out << YAML::Key << "core_speed_flops" << YAML::Value << *host.core_speed_flops;
    if (!host.op_efficiency.empty())
      out << YAML::Key << "op_efficiency" << YAML::Value << YAML::Flow << host.op_efficiency;
    if (!host.parallel_fraction.empty())
      out << YAML::Key << "parallel_fraction" << YAML::Value << YAML::Flow << host.parallel_fraction;
    if (host.memory_bandwidth_Bps)
      out << YAML::Key << "memory_bandwidth_Bps" << YAML::Value << *host.memory_bandwidth_Bps;
    if (host.layer_overhead_s)
      out << YAML::Key << "layer_overhead_s" << YAML::Value << *host.layer_overhead_s;
    if (!host.fit.empty())
      out << YAML::Key << "fit" << YAML::Value << YAML::Flow << host.fit;
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void apply_calibration(const Calibration& calibration, Platform& platform, const std::string& file)
{
  for (const auto& pattern : calibration.order) {
    const HostCalibration& figures = calibration.hosts.at(pattern);
    bool matched                   = false;
    for (auto& host : platform.hosts) {
      if (fnmatch(pattern.c_str(), host.name.c_str(), 0) != 0)
        continue;
      matched = true;
      if (figures.core_speed_flops)
        host.core_speed_flops = *figures.core_speed_flops;
      if (figures.memory_bandwidth_Bps)
        host.memory_bandwidth_Bps = *figures.memory_bandwidth_Bps;
      if (figures.layer_overhead_s)
        host.layer_overhead_s = *figures.layer_overhead_s;
      for (const auto& [op, value] : figures.op_efficiency)
        host.op_efficiency[op] = value;
      for (const auto& [op, value] : figures.parallel_fraction)
        host.parallel_fraction[op] = value;
    }
    if (!matched)
      throw InputError(file, "hosts." + pattern, "matches no host of " + platform.file);
  }
  platform.finalize();
}

} // namespace pipesplit::measure
