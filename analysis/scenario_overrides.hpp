#pragma once
// `--set PATH=VALUE` on the command line: a scenario loaded with some of its values replaced, by the same dotted paths
// and units as sweep axes (analysis/sweep_spec.hpp): platform.links.<glob>.bandwidth=50Mbps,
// platform.hosts.pi1.speed_ratio=0.5, deployment.source_rate_hz=30, model=mobilenet_v2, device_count=2.

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"
#include "sim/loaded_scenario.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

struct Override {
  Axis axis;
  AxisValue value;
};

// Reads "PATH=VALUE"; throws InputError("command line", "--set", ...) naming what is wrong.
Override parse_override(const std::string& text);

// The scenario with the overrides applied in order (a later one wins), loaded as sim::load_scenario loads it.
sim::LoadedScenario load_scenario(const std::string& path, const std::vector<Override>& overrides);

} // namespace pipesplit::analysis
