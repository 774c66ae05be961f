#pragma once
// The part of pipesplit that runs SimGrid lives in a module (libpipesplit_simgrid.so) loaded with dlopen on first use,
// not linked into the programs: SimGrid and its dependencies (ns-3, which Debian links with BIND_NOW) cost some 20 ms
// of the dynamic loader's time in every process, which commands that never start an engine (solve, predict, chain
// with a cached platform view: sim/platform_cache.hpp) should not pay. The module sits beside the program in the build
// tree, and in lib/pipesplit/ beside bin/ once installed; it is found relative to the running executable.

#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "sim/child_process.hpp"
#include "sim/layer.hpp"
#include "sim/replay.hpp"
#include "sim/replay_result.hpp"

#include <string>
#include <vector>

namespace pipesplit::sim {

// What the module offers; every entry runs in the calling process (the callers fork first: one engine per process).
struct SimGridEntryPoints {
  std::string (*version)(); // SimGrid's, as the library the module runs with says: "3.32.0"
  // Makes an engine, loads the platform and returns its view (sim/platform_view_json.hpp); throws InputError.
  std::string (*platform_view_json)(const std::string& path, const Progress& announce);
  // Makes an engine from these command-line words (SimGrid's own options), `log_control` first when not null.
  void (*start_engine)(const std::vector<std::string>& words, const char* log_control);
  // sim/replay.hpp's replay; SimGrid's own exceptions become SimulationFailure.
  ReplayResult (*replay)(const Problem& problem, const Placement& placement, const Prediction& prediction,
                         const ReplayOptions& options);
};

// The name of the function the module exports, returning its entry points.
inline constexpr const char* simgrid_entry_points_symbol = "pipesplit_simgrid_entry_points";

// The module, loaded on the first call. Throws std::runtime_error naming the file and the loader's words when it is
// missing or broken (an installation fault: exit status 1).
const SimGridEntryPoints& simgrid_module();

// Where the module is for this executable, whether or not it exists.
std::string simgrid_module_path();

} // namespace pipesplit::sim
