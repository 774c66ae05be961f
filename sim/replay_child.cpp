// The replay's side outside the SimGrid module (sim/simgrid_module.hpp): its settings, and the replay run in it.

#include "core/error.hpp"
#include "sim/replay.hpp"
#include "sim/simgrid_module.hpp"

#include <cstdio>

namespace pipesplit::sim {

ReplayResult replay(const Problem& problem, const Placement& placement, const Prediction& prediction,
                    const ReplayOptions& options)
{
  return simgrid_module().replay(problem, placement, prediction, options);
}

ReplayResult replay_in_child(const Problem& problem, const Placement& placement, const Prediction& prediction,
                             const ReplayOptions& options, std::string* diagnostics,
                             const std::function<void(long long delivered, long long wanted)>& on_progress)
{
  Progress relay; // the parent's side: "delivered/wanted" back to numbers
  if (on_progress)
    relay = [&on_progress](const std::string& note) {
      long long delivered = 0, wanted = 0;
      if (std::sscanf(note.c_str(), "%lld/%lld", &delivered, &wanted) == 2)
        on_progress(delivered, wanted);
    };
  const SimGridEntryPoints& simgrid = simgrid_module(); // loaded once, here: every child inherits it
  const ChildResult child           = run_in_child(
      [&](const Progress& progress) {
        ReplayOptions in_child = options;
        if (on_progress)
          in_child.progress = [&progress](long long delivered, long long wanted) {
            progress(std::to_string(delivered) + "/" + std::to_string(wanted));
          };
        return to_json(simgrid.replay(problem, placement, prediction, in_child)).dump();
      },
      relay);
  if (diagnostics)
    *diagnostics = child.exit.diagnostics;
  if (child.exit.ok())
    return replay_result_from_json(nlohmann::json::parse(child.payload));
  if (child.exit.signalled)
    throw SimulationFailure("SimGrid stopped the simulation: " + simgrid_complaint(child.exit.diagnostics));
  child.exit.rethrow();
}

} // namespace pipesplit::sim
