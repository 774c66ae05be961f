#pragma once
// ONNX shape inference at batch 1, pushed as far as ONNX 1.12 can go.

#include "models/layer.hpp"
#include <onnx/onnx_pb.h>

#include <string>

namespace pipesplit::models::onnx_import {

// Sets the batch dimension of the model input (the graph input that is not an initializer) to 1 when it is symbolic
// or missing, then runs shape inference with data propagation; shape arithmetic that inference computed but could
// not use (a Reshape's target shape made by Shape -> Gather -> Concat) is replaced by initializers, and inference runs
// again until nothing more is learned. Returns the model input's name; throws InputError naming `path`.
std::string infer_shapes_at_batch_one(onnx::ModelProto& model, const std::string& path);

} // namespace pipesplit::models::onnx_import
