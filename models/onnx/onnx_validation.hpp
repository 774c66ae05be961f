#pragma once
// Checks of what shape inference and constant folding trust without checking: tensor data as long as its dimensions
// say, window attributes that divide. ONNX 1.12 divides by a zero stride and reads raw data past its end.

#include "models/layer.hpp"
#include <onnx/onnx_pb.h>

#include <string>

namespace pipesplit::models::onnx_import {

// Throws InputError naming `path` and the initializer or node at fault.
void validate_graph(const onnx::GraphProto& graph, const std::string& path);

} // namespace pipesplit::models::onnx_import
