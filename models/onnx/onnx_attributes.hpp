#pragma once
// What executing an imported node needs (core::OpAttributes), from its ONNX attributes and shapes. Filled for the
// ops the executor runs (Conv, MaxPool, AveragePool, global pools, BatchNormalization, Gemm, MatMul, activations,
// Add / Sum, Concat, Flatten, Reshape, Squeeze, Unsqueeze, Softmax, Dropout, Identity) when they take a form it runs
// (2-D windows, explicit padding); absent otherwise, so execution refuses the layer by name while every other command
// works as before.

#include "models/onnx/onnx_node.hpp"

namespace pipesplit::models::onnx_import {

// `layer` is the node's Layer with its op and output shape set (batch removed).
OpAttributes execution_attributes(const NodeView& node, const Layer& layer);

} // namespace pipesplit::models::onnx_import
