#include "models/onnx/onnx_ops.hpp"
#include "models/onnx/onnx_einsum.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>
#include <vector>

namespace pipesplit::models::onnx_import {

using CostFunction = std::function<Cost(const NodeView&)>;

static double elements(const Shape& shape)
{
  return static_cast<double>(element_count(shape));
}

static Cost conv(const NodeView& node)
{
  // W is [M, C / group, k1, k2, ...]: an output element sums C / group x k1 x k2 ... products, which covers grouped
  // and depthwise convolutions without a special case.
  const Shape weight = node.input_shape(1);
  if (weight.size() < 3)
    node.fail(fmt::format("weight of rank {}, a convolution needs [M, C / group, kernel...]", weight.size()));
  const double outputs = elements(node.output_shape(0));
  const double macs    = outputs * elements(Shape(weight.begin() + 1, weight.end()));
  return {macs, 2 * macs + (node.has_input(2) ? outputs : 0)};
}

static Cost gemm(const NodeView& node)
{
  // Y = A B + C, A of [M, K] (or [K, M] transposed): K products per output element, then the bias once.
  const Shape a = node.input_shape(0);
  if (a.size() != 2)
    node.fail(fmt::format("input A of rank {}, Gemm needs a matrix", a.size()));
  const double outputs = elements(node.output_shape(0));
  const double macs    = outputs * static_cast<double>(node.int_attribute("transA", 0) != 0 ? a[0] : a[1]);
  return {macs, 2 * macs + (node.has_input(2) ? outputs : 0)};
}

static Cost matmul(const NodeView& node)
{
  // numpy semantics: each output element is a dot product along A's last axis (batch axes broadcast).
  const Shape a = node.input_shape(0);
  if (a.empty())
    node.fail("input A is a scalar, MatMul needs at least a vector");
  const double macs = elements(node.output_shape(0)) * static_cast<double>(a.back());
  return {macs, 2 * macs};
}

// Einsum from its equation: every output element sums the products over the letters it lacks (the contracted
// ones), so MAC = output elements x the product of the contracted letters' sizes. One operand (a transpose or a
// sum): no product, a FLOP per input element.
static Cost einsum(const NodeView& node)
{
  if (node.proto().input_size() == 1)
    return {0, elements(node.input_shape(0))};
  std::vector<Shape> inputs;
  for (int i = 0; i < node.proto().input_size(); ++i)
    inputs.push_back(node.input_shape(i));
  try {
    const double macs =
        elements(node.output_shape(0)) * parse_einsum(node.string_attribute("equation"), inputs).contracted_size();
    return {macs, 2 * macs};
  } catch (const std::invalid_argument& e) {
    node.fail(e.what());
  }
}

static Cost elementwise_combine(const NodeView& node)
{
  // Add, Mul, Sum, ... of n operands (broadcast): n - 1 operations per output element.
  int operands = 0;
  for (int i = 0; i < node.proto().input_size(); ++i)
    operands += node.has_input(i) ? 1 : 0;
  return {0, (operands - 1) * elements(node.output_shape(0))};
}

static Cost window_pool(const NodeView& node)
{
  return {0, elements(node.output_shape(0)) * elements(node.ints_attribute("kernel_shape"))};
}

static Cost lrn(const NodeView& node)
{
  // Per element: the sum of squares over `size` channels, then bias + alpha x sum, its power and the division.
  return {0, (2.0 * static_cast<double>(node.int_attribute("size")) + 3) * elements(node.output_shape(0))};
}

static Cost data_movement(const NodeView&)
{
  return {};
}

static CostFunction per_output_element(double flop)
{
  return [flop](const NodeView& node) { return Cost{0, flop * elements(node.output_shape(0))}; };
}

// Global pooling and reductions read every input element once.
static CostFunction per_input_element(double flop)
{
  return [flop](const NodeView& node) { return Cost{0, flop * elements(node.input_shape(0))}; };
}

static std::string lower_case(std::string text)
{
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct RuleEntry {
  std::string onnx_op;
  std::string op; // empty: the ONNX op type in lower case (pipesplit has no name of its own for it)
  CostFunction cost;
  Weights weights = Weights::every_constant;
};

static std::vector<RuleEntry> rule_entries()
{
  const auto cheap          = per_output_element(1); // piecewise-linear activations
  const auto transcendental = per_output_element(4); // as ModelBuilder::activation counts sigmoid, hswish, gelu
  const auto data           = Weights::data_operand;
  return {
      {"Conv", "conv", conv},
      {"Gemm", "fc", gemm},
      {"MatMul", "matmul", matmul},
      {"BatchNormalization", "bn", per_output_element(2), Weights::batch_norm},
      {"LayerNormalization", "layernorm", per_output_element(5)}, // mean, variance, normalise, scale, shift
      {"InstanceNormalization", "", per_output_element(5)},
      {"LRN", "lrn", lrn},
      {"Relu", "relu", cheap},
      {"LeakyRelu", "leaky_relu", cheap},
      {"PRelu", "", cheap},
      {"Clip", "", cheap, data},
      {"Sigmoid", "sigmoid", transcendental},
      {"HardSigmoid", "", transcendental},
      {"HardSwish", "hswish", transcendental},
      {"Tanh", "", transcendental},
      {"Elu", "", transcendental},
      {"Selu", "", transcendental},
      {"Softplus", "", transcendental},
      {"Exp", "", transcendental},
      {"Log", "", transcendental},
      {"Sqrt", "", transcendental},
      {"Erf", "", transcendental},
      {"Gelu", "gelu", transcendental},
      {"Pow", "", cheap}, // x^2 of a decomposed LayerNorm: one multiply
      {"Neg", "", cheap},
      {"Abs", "", cheap},
      {"Reciprocal", "", cheap},
      {"Floor", "", cheap},
      {"Ceil", "", cheap},
      {"Not", "", cheap},
      {"Equal", "", elementwise_combine}, // comparisons and logic: one per output element
      {"Less", "", elementwise_combine},
      {"Greater", "", elementwise_combine},
      {"And", "", elementwise_combine},
      {"Or", "", elementwise_combine},
      {"Mod", "", elementwise_combine},
      {"Einsum", "matmul", einsum},
      {"Where", "", data_movement}, // a selection per element
      {"ScatterND", "", data_movement},
      {"Softmax", "softmax", per_output_element(4)}, // max, exponential, sum, division
      {"Add", "add", elementwise_combine},
      {"Sum", "add", elementwise_combine},
      {"Sub", "", elementwise_combine},
      {"Mul", "mul", elementwise_combine},
      {"Div", "", elementwise_combine},
      {"Max", "", elementwise_combine},
      {"Min", "", elementwise_combine},
      {"MaxPool", "maxpool", window_pool},
      {"AveragePool", "avgpool", window_pool},
      {"GlobalMaxPool", "maxpool", per_input_element(1)},
      {"GlobalAveragePool", "avgpool", per_input_element(1)},
      {"ReduceMean", "", per_input_element(1), data},
      {"ReduceSum", "", per_input_element(1), data},
      {"ReduceMax", "", per_input_element(1), data},
      {"ReduceMin", "", per_input_element(1), data},
      {"ReduceL2", "", per_input_element(2), data}, // square and sum (F.normalize: Swin V2's cosine attention)
      {"Concat", "concat", data_movement},
      {"Reshape", "reshape", data_movement, data},
      {"Flatten", "flatten", data_movement, data},
      {"Slice", "slice", data_movement, data},
      {"Transpose", "", data_movement, data},
      {"Squeeze", "", data_movement, data},
      {"Unsqueeze", "", data_movement, data},
      {"Dropout", "", data_movement, data}, // inference: the identity
      {"Identity", "", data_movement, data},
      {"Gather", "", data_movement, data},
      {"Split", "", data_movement, data},
      {"Pad", "", data_movement, data},
      {"Expand", "", data_movement, data},
      {"Tile", "", data_movement, data},
      {"Cast", "", data_movement, data},
      {"DepthToSpace", "", data_movement, data},
      {"SpaceToDepth", "", data_movement, data},
  };
}

static const std::map<std::string, OpRule>& rules_by_type()
{
  static const auto rules = [] {
    std::map<std::string, OpRule> by_type;
    for (auto& entry : rule_entries())
      by_type[entry.onnx_op] = {entry.op.empty() ? lower_case(entry.onnx_op) : entry.op, entry.cost, entry.weights};
    return by_type;
  }();
  return rules;
}

const OpRule* find_op_rule(const std::string& domain, const std::string& op_type)
{
  if (!domain.empty() && domain != "ai.onnx")
    return nullptr;
  const auto it = rules_by_type().find(op_type);
  return it == rules_by_type().end() ? nullptr : &it->second;
}

std::vector<std::string> op_types_with_rules()
{
  std::vector<std::string> types;
  for (const auto& [type, rule] : rules_by_type())
    types.push_back(type);
  return types;
}

} // namespace pipesplit::models::onnx_import
