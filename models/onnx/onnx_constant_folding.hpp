#pragma once
// Evaluation of the ops that compute shapes, indices and masks (Shape -> Gather -> Concat -> Reshape, Range, Where,
// ConstantOfShape...), on constants, so that every shape of a batch-1 graph is known even where ONNX's own data
// propagation gives up.

#include "core/model.hpp"
#include "models/layer.hpp"
#include "models/onnx/onnx_values.hpp"
#include <onnx/onnx_pb.h>

#include <optional>
#include <vector>

namespace pipesplit::models::onnx_import {

struct FoldingInput {
  const Value* value = nullptr; // when the input is a known constant
  const Shape* shape = nullptr; // when its shape is fully known (Shape and Size need nothing more)
};

// The node's output values, or nullopt when the op is not one folding evaluates or an input it needs is unknown.
// Throws std::invalid_argument for inputs the op cannot take (an index out of range, shapes that do not broadcast).
std::optional<std::vector<Value>> fold_node(const onnx::NodeProto& node, const std::vector<FoldingInput>& inputs,
                                            int opset);

} // namespace pipesplit::models::onnx_import
