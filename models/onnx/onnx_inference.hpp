#pragma once
// The model input's shape at batch 1 (or as given), then every tensor's shape (onnx_propagation.hpp).

#include "models/layer.hpp"
#include "models/onnx/onnx_import.hpp"
#include "models/onnx/onnx_propagation.hpp"
#include <onnx/onnx_pb.h>

#include <map>
#include <string>

namespace pipesplit::models::onnx_import {

struct InferredGraph {
  std::string input_name;
  WeightSources weight_sources;
};

// Sets the model input's shape (the graph input that is not an initializer): the one `given` for it, else its
// declared one with a symbolic or missing batch dimension set to 1; then propagates shapes and constants
// (onnx_propagation.hpp). Throws InputError naming `path`.
InferredGraph infer_shapes_at_batch_one(onnx::ModelProto& model, const std::string& path,
                                        const InputShapes& given = {});

} // namespace pipesplit::models::onnx_import
