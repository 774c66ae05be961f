#pragma once
// What executing an imported node needs (core::OpAttributes), from its ONNX attributes and shapes. Filled for the
// ops the executor runs (Conv, MaxPool, AveragePool, global pools, BatchNormalization, LRN, Gemm, MatMul, activations,
// Add / Sum / Mul / Sub / Div (with numpy broadcasting and at most one constant operand), Pow by a constant scalar,
// Sqrt, Erf, ReduceMean over trailing axes, LayerNormalization over the last axis, Transpose, Concat, Flatten,
// Reshape, Squeeze, Unsqueeze, Softmax, Dropout, Identity) when they take a form it runs
// (2-D windows, explicit padding); absent otherwise, so execution refuses the layer by name while every other command
// works as before.

#include "models/onnx/onnx_node.hpp"

#include <optional>
#include <vector>

namespace pipesplit::models::onnx_import {

// `layer` is the node's Layer with its op and output shape set (batch removed).
// `constant_input[i]`: the node's input i is a constant (an initializer or folded), not a layer's output;
// `scalar_input[i]`: its value when it is a constant of one element (Pow's exponent).
OpAttributes execution_attributes(const NodeView& node, const Layer& layer, const std::vector<bool>& constant_input,
                                  const std::vector<std::optional<double>>& scalar_input);

} // namespace pipesplit::models::onnx_import
