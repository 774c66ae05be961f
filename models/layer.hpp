#pragma once
// The models layer (the network descriptions: builder, zoo, ONNX import, model files, measured profiles): its namespace
// names the layers below it without qualification; the build refuses includes of higher layers (cmake/layers.cmake).

#include "core/layer.hpp"

namespace pipesplit::models {
using namespace pipesplit::core;
} // namespace pipesplit::models
