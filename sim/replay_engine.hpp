#pragma once
// Part of the SimGrid module (sim/simgrid_module.hpp): the replay itself (sim/replay.hpp says what it does).

#include "sim/layer.hpp"
#include "sim/replay.hpp"

namespace pipesplit::sim {

// Makes this process's engine and replays on it; SimGrid's exceptions pass through.
ReplayResult replay_with_engine(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                const ReplayOptions& options);

} // namespace pipesplit::sim
