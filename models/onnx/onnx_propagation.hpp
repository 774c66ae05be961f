#pragma once
// Shapes of every tensor of a graph in one pass over its nodes in topological order: ONNX's inference function of
// each op, given every constant known so far, then constant folding of the ops that compute shapes and indices
// (onnx_constant_folding.hpp). Where ONNX 1.12's own data propagation stops (a Reshape, Expand or Slice whose shape
// or ends come from Shape -> Gather -> Add -> Div...), the folded values carry on; one pass is a fixed point
// because values only flow forward, and it costs time linear in the graph size.

#include "core/model.hpp"
#include "models/layer.hpp"
#include <onnx/onnx_pb.h>

#include <map>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

// For each tensor folding computed from the model input's shape (and so replaced by an initializer): the constants
// of the file that are weights (more than one floating-point element) it was computed from, which count as
// parameters of the layer that reads it. ViT's class token, expanded to a shape computed from the input's, is one.
using WeightSources = std::map<std::string, std::vector<std::string>>;

// Writes the inferred types into the graph's value_info and outputs, and replaces the nodes whose outputs depend on
// the input's shape only (shape arithmetic) by initializers. Throws InputError naming `path` and the node.
WeightSources propagate_shapes(onnx::ModelProto& model, const std::string& path);

// Whether a constant counts as a weight: more than one element of a type that is not an index or mask (int32,
// int64, bool). Scalars (GELU's 0.5, attention's 1 / sqrt d) configure the op.
bool is_weight(const onnx::TensorProto& tensor);
bool is_weight(int32_t elem_type, const Shape& dims);

} // namespace pipesplit::models::onnx_import
