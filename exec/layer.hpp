#pragma once
// The exec layer (running model stages for real on this CPU with oneDNN, and timing them): its namespace names the
// layers below it (core, models) without qualification; the build refuses includes of higher layers
// (cmake/layers.cmake).

#include "models/layer.hpp"

namespace pipesplit::exec {
using namespace pipesplit::core;
using namespace pipesplit::models;
} // namespace pipesplit::exec
