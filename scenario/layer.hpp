#pragma once
// The scenario layer (the scenario file, which ties a platform, a model and the deployment into a problem): its
// namespace names the layers below it without qualification; the build refuses includes of higher layers
// (cmake/layers.cmake).

#include "measure/layer.hpp"
#include "models/layer.hpp"

namespace pipesplit::scenario {
using namespace pipesplit::measure;
using namespace pipesplit::models;
} // namespace pipesplit::scenario
