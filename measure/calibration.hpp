#pragma once
// Calibration files (YAML): what `pipesplit calibrate` learnt about devices, applied by scenarios
// (`calibration: FILE`) on top of the platform's figures.
//
//   format: pipesplit-calibration/1
//   hosts:
//     pi*:                           # a host name, or a glob pattern (fnmatch) matching host names
//       core_speed_flops: 4.1e9      # FLOP/s per core
//       op_efficiency: {fc: 0.55}    # share of the core speed an op type reaches
//       parallel_fraction: {conv: 0.93}
//       memory_bandwidth_Bps: 2.1e10 # bytes/s at which layers read and write their tensors (`calibrate --fit traffic`)
//       layer_overhead_s: 4e-6       # fixed seconds per layer (`calibrate --fit traffic`)
//       fit: {method: per-layer, layers: 69, relative_rms_error: 0.08}   # how it was obtained (informative)

#include "core/platform.hpp"
#include "measure/layer.hpp"

#include <map>
#include <optional>
#include <string>

namespace pipesplit::measure {

inline constexpr const char* calibration_format_tag = "pipesplit-calibration/1";

struct HostCalibration {
  std::optional<double> core_speed_flops;
  std::map<std::string, double> op_efficiency;
  std::map<std::string, double> parallel_fraction;
  std::optional<double> memory_bandwidth_Bps;
  std::optional<double> layer_overhead_s;
  std::map<std::string, std::string> fit; // informative: how the figures were fitted
};

struct Calibration {
  std::map<std::string, HostCalibration> hosts; // pattern -> figures, applied in file order
  std::vector<std::string> order;
};

Calibration read_calibration_file(const std::string& path); // throws InputError
std::string calibration_to_yaml(const Calibration& calibration);

// Apply to every host whose name matches a pattern; throws InputError naming `file` when a pattern matches nothing.
void apply_calibration(const Calibration& calibration, Platform& platform, const std::string& file);

} // namespace pipesplit::measure
