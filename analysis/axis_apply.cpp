#include "analysis/axis_apply.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <fnmatch.h>

namespace pipesplit::analysis {

namespace {

// Set a dotted path of the scenario document (creating maps on the way).
void set_path(YAML::Node node, const std::string& path, const AxisValue& value)
{
  const auto dot = path.find('.');
  if (dot == std::string::npos) {
    node[path] = to_string(value);
    return;
  }
  set_path(node[path.substr(0, dot)], path.substr(dot + 1), value);
}

} // namespace

void apply_platform_axis(const Axis& axis, double value, Platform& platform, const std::string& where)
{
  bool matched = false;
  auto matches = [&](const std::string& name) { return fnmatch(axis.pattern.c_str(), name.c_str(), 0) == 0; };
  if (axis.kind == AxisKind::LinkBandwidth || axis.kind == AxisKind::LinkLatency) {
    for (auto& link : platform.links)
      if (matches(link.name)) {
        matched                                                                      = true;
        (axis.kind == AxisKind::LinkBandwidth ? link.bandwidth_Bps : link.latency_s) = value;
      }
  } else {
    for (auto& host : platform.hosts)
      if (matches(host.name)) {
        matched               = true;
        host.core_speed_flops = axis.kind == AxisKind::HostSpeed ? value : host.core_speed_flops * value;
      }
  }
  if (!matched)
    throw InputError(where, axis.path, fmt::format("'{}' matches nothing in {}", axis.pattern, platform.file));
}

void apply_document_axis(YAML::Node document, const Axis& axis, const AxisValue& value,
                         const std::vector<std::string>& devices, const std::string& where)
{
  if (axis.kind == AxisKind::Scenario)
    set_path(document, axis.path, value);
  if (axis.kind == AxisKind::DeviceCount) {
    const double count = std::get<double>(value);
    if (!(count >= 1 && count <= static_cast<double>(devices.size())) || count != static_cast<size_t>(count))
      throw InputError(where, axis.path,
                       fmt::format("{} devices asked, the scenario lists {}", to_string(value), devices.size()));
    document["devices"] = std::vector<std::string>(devices.begin(), devices.begin() + static_cast<size_t>(count));
  }
}

} // namespace pipesplit::analysis
