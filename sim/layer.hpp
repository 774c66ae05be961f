#pragma once
// The sim layer (everything that touches SimGrid: platforms, scenarios loaded with them, the replay): its namespace
// names the layers below it without qualification; the build refuses includes of higher layers (cmake/layers.cmake).

#include "scenario/layer.hpp"

namespace pipesplit::sim {
using namespace pipesplit::scenario;
} // namespace pipesplit::sim
