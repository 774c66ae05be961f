#pragma once
// What executing an imported data-movement node needs (Slice, Transpose, Concat, Gather, Pad), in pipesplit's
// shapes: a tensor's ONNX shape loses its first axis when that axis is 1 (the batch, onnx_import.cpp's
// without_batch); a sequence-first export's tensors ([T, 1, D]) keep theirs, so every axis is mapped through the
// shape it belongs to, never by subtracting 1 blindly.

#include "models/onnx/onnx_node.hpp"

#include <optional>
#include <vector>

namespace pipesplit::models::onnx_import {

// The values of a node's constant inputs that are small enough to read (shapes, indices, pads, scalars).
using ConstantValues = std::vector<std::optional<std::vector<double>>>;

// 1 when pipesplit's shape of a tensor of this ONNX shape drops its first axis, else 0.
int64_t dropped_axes(const Shape& onnx_shape);

OpAttributes slice_attributes(const NodeView& node, const ConstantValues& values);
OpAttributes transpose_attributes(const NodeView& node);
OpAttributes concat_attributes(const NodeView& node, const std::vector<bool>& constant_input);
OpAttributes gather_attributes(const NodeView& node, const std::vector<bool>& constant_input,
                               const ConstantValues& values);
OpAttributes pad_attributes(const NodeView& node, const ConstantValues& values);

} // namespace pipesplit::models::onnx_import
