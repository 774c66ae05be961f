#pragma once
// Sweep files (YAML): a base scenario and axes over its parameters. Every combination of axis values is a point.
//
//   format: pipesplit-sweep/1
//   name: yolov2_2pi
//   scenario: ../scenarios/sweep_yolov2_2pi.yaml   # relative to this file
//   axes:
//     - path: platform.links.*.bandwidth           # glob over link names; SimGrid units or bytes/s
//       range: {from: 1Mbps, to: 1000Mbps, steps: 16, scale: log}
//     - path: platform.hosts.pi1.speed_ratio       # the host's speed times this
//       values: [0.1, 0.2, 0.5, 1]
//     - path: deployment.max_cuts                  # any dotted path of the scenario file
//       values: [1, 2, 3]
//   simulate: {sample: 12, network: ideal, inferences: 100, warmup: 20}   # a fixed pseudo-random sample of points,
//                                                  # or {all: true, ...}; default none; cfg: [ITEM:VALUE, ...] are
//                                                  # SimGrid configuration items, as --cfg gives them to simulate
//   solver: {node_limit: 2000000}                  # per point; deterministic, unlike a time limit
//   plan: {objective: devices, min_rate_hz: 30, max_latency_s: 0.2, max_energy_j: 3, pstates: choose}
//                                                  # optional: also answer a planning question at every point, as
//                                                  # `solve --objective` does (plan_* columns, sweep_point.hpp)
//
// Platform paths: platform.links.<glob>.bandwidth (bytes/s, or "100Mbps"), platform.links.<glob>.latency (s, or
// "1ms"), platform.hosts.<glob>.speed (FLOP/s per core, or "5Gf"), platform.hosts.<glob>.speed_ratio. Scenario paths:
// model, model_resolution (square input side of a resizable zoo model), chain, deployment.*, device_count (the
// first N of the scenario's devices).

#include "analysis/layer.hpp"
#include "solver/objective.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pipesplit::analysis {

using AxisValue = std::variant<double, std::string>;

enum class AxisKind { LinkBandwidth, LinkLatency, HostSpeed, HostSpeedRatio, DeviceCount, Scenario };

struct Axis {
  std::string path;
  std::string name; // CSV column
  AxisKind kind = AxisKind::Scenario;
  std::string pattern; // link or host glob for platform axes
  std::string unit;    // of the CSV values: "bytes/s", "s", "FLOP/s", or "" (ratios, counts, names)
  bool log_scale = false;
  std::vector<AxisValue> values;
};

struct SimulationSample {
  bool all            = false;
  int sample          = 0; // this many points, evenly spread over the sweep
  std::string network = "ideal";
  int inferences      = 100;
  int warmup          = 20;
  std::vector<std::string> cfg; // SimGrid configuration items (ITEM:VALUE) for the replays, after the network's own
};

// A planning question asked at every point (solver/objective_search.hpp), with its constraints.
struct SweepPlan {
  bool enabled                = false;
  solver::Objective objective = solver::Objective::Throughput;
  double min_rate_hz          = -1; // -1: the point's camera rate (deployment.source_rate_hz), as `solve` does
  double max_latency_s        = 0;  // 0: none
  double max_energy_J         = 0;  // 0: none
  bool choose_pstates         = true;
};

// Points a sweep may have (the product of its axes' lengths): a million-point sweep takes days already, and every
// point has a row in memory; a larger grid is refused when read, before any product can overflow.
inline constexpr size_t max_sweep_points = 10'000'000;

struct SweepSpec {
  std::string file;
  std::string name;
  std::string scenario; // resolved path
  std::vector<Axis> axes;
  SimulationSample simulate;
  long long node_limit = 2'000'000;
  SweepPlan plan;

  size_t point_count() const;
  std::vector<AxisValue> point(size_t index) const; // the first axis varies slowest
  bool simulated(size_t index) const;
  void choose_sample(); // after the axes and simulate settings are known

private:
  std::vector<size_t> sampled_; // sorted
};

SweepSpec read_sweep_file(const std::string& path); // throws InputError naming file, field and line

// The axis a dotted path names (its kind, glob and unit), for sweep axes and `--set`; `fail` reports a bad path and
// must throw.
Axis axis_for_path(const std::string& path, const std::function<void(const std::string&)>& fail);

// A value of the axis read from text (platform axes in SimGrid's units, > 0), a number or, for scenario paths, a name;
// nullopt when the text is none of these.
std::optional<AxisValue> axis_value(const Axis& axis, const std::string& text);
std::string to_string(const AxisValue& value);

} // namespace pipesplit::analysis
