#pragma once
// Setting an axis value (analysis/sweep_spec.hpp) on a scenario: scenario paths and the device count on the scenario
// document before it is read, platform attributes on the loaded platform view. Sweeps set one value per axis at each
// point; `--set` sets them once on the command line.

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/platform.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace pipesplit::analysis {

// For scenario paths and device_count (the first N of `devices`); `where` and the axis's path name the source of the
// value in errors. Platform axes are left to apply_platform_axis.
void apply_document_axis(YAML::Node document, const Axis& axis, const AxisValue& value,
                         const std::vector<std::string>& devices, const std::string& where);

// For platform axes: every link or host the axis's glob matches. Throws InputError when it matches nothing.
void apply_platform_axis(const Axis& axis, double value, Platform& platform, const std::string& where);

} // namespace pipesplit::analysis
