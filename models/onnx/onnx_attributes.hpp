#pragma once
// What executing an imported node needs (core::OpAttributes), from its ONNX attributes and shapes. Filled for the
// ops the executor runs (Conv, MaxPool, AveragePool, global pools, BatchNormalization, LRN, Gemm, MatMul, activations,
// Add / Sum / Mul / Sub / Div (with numpy broadcasting and at most one constant operand), Pow by a constant scalar,
// Sqrt, Erf, ReduceMean over trailing axes, LayerNormalization over the last axis, Transpose, Concat, Slice, Gather,
// Pad (onnx_attributes_data.cpp), Flatten,
// Reshape, Squeeze, Unsqueeze, Softmax, Dropout, Identity) when they take a form it runs
// (2-D windows, explicit padding); absent otherwise, so execution refuses the layer by name while every other command
// works as before.

#include "models/onnx/onnx_attributes_data.hpp"
#include "models/onnx/onnx_node.hpp"

#include <optional>
#include <vector>

namespace pipesplit::models::onnx_import {

// `layer` is the node's Layer with its op and output shape set (batch removed).
// `constant_input[i]`: the node's input i is a constant (an initializer or folded), not a layer's output;
// `values[i]`: its values when it is a small constant (Pow's exponent, Slice's start, Pad's pads, Gather's index).
OpAttributes execution_attributes(const NodeView& node, const Layer& layer, const std::vector<bool>& constant_input,
                                  const ConstantValues& values);

} // namespace pipesplit::models::onnx_import
