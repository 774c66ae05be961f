// The SimGrid module's one export (sim/simgrid_module.hpp): everything of pipesplit that calls SimGrid is reached
// through it.

#include "core/error.hpp"
#include "sim/engine_arguments.hpp"
#include "sim/platform_extract.hpp"
#include "sim/platform_view_json.hpp"
#include "sim/replay_engine.hpp"
#include "sim/simgrid_module.hpp"

#include <fmt/format.h>
#include <simgrid/s4u.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

namespace sg4 = simgrid::s4u;

namespace pipesplit::sim {

namespace {

std::string version()
{
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string platform_view_json(const std::string& path, const Progress& announce)
{
  xbt_log_control_set("root.thres:error");
  EngineArguments arguments;
  sg4::Engine engine(arguments.argc(), arguments.argv());
  try {
    return platform_view_to_json(extract_platform_view(path, announce));
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) { // simgrid::ParseError and friends
    throw InputError(path, "", e.what());
  }
}

void start_engine(const std::vector<std::string>& words, const char* log_control)
{
  if (log_control)
    xbt_log_control_set(log_control);
  EngineArguments arguments(words);
  sg4::Engine engine(arguments.argc(), arguments.argv());
}

ReplayResult replay(const Problem& problem, const Placement& placement, const Prediction& prediction,
                    const ReplayOptions& options)
{
  try {
    return replay_with_engine(problem, placement, prediction, options);
  } catch (const simgrid::Exception& e) { // SimGrid refused what it was asked: not a bug of ours
    throw SimulationFailure(e.what());
  }
}

constexpr SimGridEntryPoints entry_points{version, platform_view_json, start_engine, replay};

} // namespace

} // namespace pipesplit::sim

extern "C" __attribute__((visibility("default"))) const pipesplit::sim::SimGridEntryPoints*
pipesplit_simgrid_entry_points()
{
  return &pipesplit::sim::entry_points;
}
