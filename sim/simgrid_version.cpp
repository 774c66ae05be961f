#include "sim/simgrid_version.hpp"

#include <fmt/format.h>
#include <simgrid/s4u/Engine.hpp> // declares what simgrid/version.h needs
#include <simgrid/version.h>

namespace pipesplit::sim {

std::string simgrid_version()
{
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

Provenance simulation_provenance(const std::vector<std::string>& command_line, std::vector<InputFile> inputs)
{
  Provenance provenance;
  provenance.versions["simgrid"] = simgrid_version();
  provenance.command_line        = command_line;
  provenance.inputs              = std::move(inputs);
  return provenance;
}

} // namespace pipesplit::sim
