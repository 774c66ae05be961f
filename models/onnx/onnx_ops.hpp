#pragma once
// What each supported ONNX op costs, under the conventions of ModelBuilder (solver/model_builder.cpp): one MAC is
// 2 FLOP, a bias adds 1 FLOP per output, batch norm 2 per element, ReLU 1, transcendental activations 4, an
// element-wise sum 1 per element per extra operand, a pooling window its size per output, data movement nothing.

#include "models/layer.hpp"
#include "models/onnx/onnx_node.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

struct Cost {
  double macs = 0;
  double flop = 0;
};

// Which constant inputs of a layer are its weights; the others (Reshape's target shape, Clip's bounds, Gather's
// indices) only configure the op.
enum class Weights {
  every_constant, // Conv's W and B, Gemm's B and C, the constant operand of Mul or Add, a constant Concat part
  data_operand,   // input 0 only, when constant (Gather's embedding table)
  batch_norm,     // scale and bias are parameters; running mean and variance count in parameter bytes only
};

struct OpRule {
  std::string op; // pipesplit's op name
  std::function<Cost(const NodeView&)> cost;
  Weights weights = Weights::every_constant;
};

// nullptr when there is no FLOP rule for the op (or it belongs to another domain than the standard one).
const OpRule* find_op_rule(const std::string& domain, const std::string& op_type);

// Every ONNX op type with a FLOP rule, sorted (the README's table lists each: tests/models check it).
std::vector<std::string> op_types_with_rules();

} // namespace pipesplit::models::onnx_import
