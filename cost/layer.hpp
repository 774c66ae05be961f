#pragma once
// The cost layer (the cost model: compute and transfer times, loads, the contention schedule): its namespace names the
// layers below it without qualification; the build refuses includes of higher layers (cmake/layers.cmake).

#include "core/layer.hpp"

namespace pipesplit::cost {
using namespace pipesplit::core;
} // namespace pipesplit::cost
