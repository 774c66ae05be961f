#pragma once
// The measure layer (calibration files and fits, hardware trials): its namespace names the layers below it without
// qualification; the build refuses includes of higher layers (cmake/layers.cmake).

#include "cost/layer.hpp"

namespace pipesplit::measure {
using namespace pipesplit::cost;
} // namespace pipesplit::measure
