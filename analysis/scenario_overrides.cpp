#include "analysis/scenario_overrides.hpp"
#include "analysis/axis_apply.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"
#include "scenario/scenario.hpp"

#include <fmt/format.h>

namespace pipesplit::analysis {

Override parse_override(const std::string& text)
{
  auto fail = [&](const std::string& why) {
    throw InputError("command line", "--set", fmt::format("'{}': {}", text, why));
  };
  const auto equal = text.find('=');
  if (equal == std::string::npos || equal == 0)
    fail("expected PATH=VALUE, as deployment.source_rate_hz=30 or platform.links.*.bandwidth=50Mbps");
  Override set{axis_for_path(text.substr(0, equal), fail), 0.0};
  const auto value = axis_value(set.axis, text.substr(equal + 1));
  if (!value)
    fail(fmt::format("'{}' is not a value for {}{}", text.substr(equal + 1), set.axis.path,
                     set.axis.unit.empty() ? ""
                                           : fmt::format(" (a {} figure > 0, SimGrid units allowed)", set.axis.unit)));
  set.value = *value;
  return set;
}

sim::LoadedScenario load_scenario(const std::string& path, const std::vector<Override>& overrides)
{
  if (overrides.empty())
    return sim::load_scenario(path);
  YAML::Node document                   = YamlField::load_file(path).node();
  const std::vector<std::string> listed = parse_scenario(document, path).devices;
  for (const Override& set : overrides)
    apply_document_axis(document, set.axis, set.value, listed, "--set");
  return sim::load_scenario(parse_scenario(document, path), [&overrides](Platform& platform) {
    for (const Override& set : overrides)
      if (set.axis.kind != AxisKind::Scenario && set.axis.kind != AxisKind::DeviceCount)
        apply_platform_axis(set.axis, std::get<double>(set.value), platform, "--set");
  });
}

} // namespace pipesplit::analysis
