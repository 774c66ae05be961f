#include "models/onnx/onnx_attributes.hpp"
#include "models/onnx/onnx_attributes_data.hpp"

#include <algorithm>
#include <set>

namespace pipesplit::models::onnx_import {

namespace {

std::vector<int64_t> ints_or(const NodeView& node, const std::string& name, std::vector<int64_t> fallback)
{
  return node.has_attribute(name) ? node.ints_attribute(name) : fallback;
}

// ONNX counts the batch axis; pipesplit's shapes omit it when it is 1 (not a sequence-first export's [T, 1, D]).
int64_t axis_without_batch(const NodeView& node, int64_t fallback)
{
  const Shape out    = node.output_shape(0);
  const auto rank    = static_cast<int64_t>(out.size());
  const int64_t axis = node.int_attribute("axis", fallback);
  return (axis < 0 ? axis + rank : axis) - dropped_axes(out);
}

// A 2-D sliding window with explicit padding; the end padding recomputed from the output extent (a ceil mode).
OpAttributes window(const NodeView& node, const Layer& layer, std::vector<int64_t> kernel)
{
  OpAttributes a;
  const Shape in = node.input_shape(0);
  if (kernel.size() != 2 || in.size() != 4 || layer.output_shape.size() != 3 ||
      node.string_attribute("auto_pad", "NOTSET") != "NOTSET")
    return a;
  a.kernel        = kernel;
  a.strides       = ints_or(node, "strides", {1, 1});
  a.dilations     = ints_or(node, "dilations", {1, 1});
  const auto pads = ints_or(node, "pads", {0, 0, 0, 0});
  if (a.strides.size() != 2 || a.dilations.size() != 2 || pads.size() != 4)
    return a;
  a.pads = {pads[0], pads[1], 0, 0};
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t span = (kernel[axis] - 1) * a.dilations[axis] + 1;
    a.pads[2 + axis] =
        std::max<int64_t>(0, (layer.output_shape[1 + axis] - 1) * a.strides[axis] + span - in[2 + axis] - pads[axis]);
  }
  a.present = true;
  return a;
}

// Add, Mul, Sub or Div of layer outputs, at most one constant (Sub's and Div's second): the constant's shape,
// right-aligned to the output's rank without the batch axis (numpy broadcasting); absent when the constant has more
// axes than that or there are several.
OpAttributes binary(const NodeView& node, const Layer& layer, const std::vector<bool>& constant_input)
{
  OpAttributes a;
  const int rank          = static_cast<int>(layer.output_shape.size());
  int constants           = 0;
  const std::string& type = node.proto().op_type();
  if ((type == "Sub" || type == "Div") && !constant_input.empty() && constant_input[0])
    return a; // a constant minuend or dividend: the executor's constant is always the second operand
  for (size_t i = 0; i < constant_input.size(); ++i) {
    if (!constant_input[i])
      continue;
    Shape shape = node.input_shape(static_cast<int>(i));
    while (static_cast<int>(shape.size()) > rank && shape.front() == 1)
      shape.erase(shape.begin());
    if (static_cast<int>(shape.size()) > rank)
      return a;
    shape.insert(shape.begin(), rank - static_cast<int>(shape.size()), 1);
    a.operand_shape = shape;
    ++constants;
  }
  a.present = constants <= 1 && !layer.inputs.empty();
  return a;
}

// ReduceMean over trailing axes (the last one included), e.g. a decomposed LayerNorm's mean over features or a global
// average over [H, W]: `axis` is the first reduced axis without the batch; the output keeps the reduced axes as 1 or
// drops them (keepdims), which the executor reads from the output's rank. Absent for other axes or the batch's.
OpAttributes reduce_mean(const NodeView& node)
{
  OpAttributes a;
  const auto rank     = static_cast<int64_t>(node.input_shape(0).size());
  const int64_t batch = dropped_axes(node.input_shape(0));
  if (!node.has_attribute("axes"))
    return a; // opset 18 gives the axes as an input; no axes reduces the batch too
  std::vector<int64_t> axes = node.ints_attribute("axes");
  for (auto& axis : axes)
    axis = axis < 0 ? axis + rank : axis;
  std::sort(axes.begin(), axes.end());
  a.present = !axes.empty() && axes.front() >= batch && axes.back() == rank - 1 &&
              axes.back() - axes.front() + 1 == static_cast<int64_t>(axes.size());
  a.axis = a.present ? axes.front() - batch : 0;
  return a;
}

// Pow by a constant scalar exponent (a decomposed LayerNorm's x^2): `beta` is the exponent, as oneDNN's eltwise_pow
// names it.
OpAttributes power(const ConstantValues& values)
{
  OpAttributes a;
  a.present = values.size() == 2 && values[1].has_value() && values[1]->size() == 1;
  a.beta    = a.present ? (*values[1])[0] : 0;
  return a;
}

// LayerNormalization over the last axis (the executor's form), with its epsilon.
OpAttributes layer_normalization(const NodeView& node)
{
  OpAttributes a;
  const auto rank    = static_cast<int64_t>(node.input_shape(0).size());
  const int64_t axis = node.int_attribute("axis", -1);
  a.present          = (axis < 0 ? axis + rank : axis) == rank - 1;
  a.epsilon          = node.float_attribute("epsilon", 1e-5);
  return a;
}

} // namespace

OpAttributes execution_attributes(const NodeView& node, const Layer& layer, const std::vector<bool>& constant_input,
                                  const ConstantValues& values)
{
  const std::string& type = node.proto().op_type();
  OpAttributes a;
  if (type == "Conv") {
    const Shape weight = node.input_shape(1);
    a                  = window(node, layer, ints_or(node, "kernel_shape", Shape(weight.begin() + 2, weight.end())));
    a.groups           = node.int_attribute("group", 1);
    a.bias             = node.has_input(2);
  } else if (type == "MaxPool" || type == "AveragePool") {
    a                   = window(node, layer, node.ints_attribute("kernel_shape"));
    a.count_include_pad = node.int_attribute("count_include_pad", 0) != 0; // ONNX's default excludes the padding
  } else if (type == "GlobalAveragePool" || type == "GlobalMaxPool") {
    const Shape in = node.input_shape(0);
    if (in.size() == 4) {
      a         = window(node, layer, {in[2], in[3]});
      a.strides = {in[2], in[3]};
    }
  } else if (type == "BatchNormalization") {
    a.present = true;
    a.epsilon = node.float_attribute("epsilon", 1e-5);
  } else if (type == "Gemm" || type == "MatMul") {
    a.present = true;
    a.bias    = node.has_input(2);
  } else if (type == "LeakyRelu") {
    a.present = true;
    a.alpha   = node.float_attribute("alpha", 0.01);
  } else if (type == "Concat") {
    a = concat_attributes(node, constant_input);
  } else if (type == "Gather") {
    a = gather_attributes(node, constant_input, values);
  } else if (type == "Pad") {
    a = pad_attributes(node, values);
  } else if (type == "LRN") {
    a.present = true;
    a.size    = node.int_attribute("size");
    a.alpha   = node.float_attribute("alpha", 1e-4);
    a.beta    = node.float_attribute("beta", 0.75);
    a.k       = node.float_attribute("bias", 1.0);
  } else if (type == "Transpose") {
    a = transpose_attributes(node);
  } else if (type == "Add" || type == "Mul" || type == "Sub" || type == "Div") {
    a = binary(node, layer, constant_input);
  } else if (type == "Slice") {
    a = slice_attributes(node, values);
  } else if (type == "Pow") {
    a = power(values);
  } else if (type == "ReduceMean") {
    a = reduce_mean(node);
  } else if (type == "LayerNormalization") {
    a = layer_normalization(node);
  } else if (type == "Softmax") {
    a.present = true;
    a.axis    = axis_without_batch(node, -1);
  } else {
    static const std::set<std::string> plain = {"Relu",      "Sigmoid", "Tanh",     "HardSwish", "Sum",
                                                "Flatten",   "Dropout", "Identity", "Reshape",   "Squeeze",
                                                "Unsqueeze", "Sqrt",    "Erf"};
    a.present                                = plain.count(type) > 0;
  }
  return a;
}

} // namespace pipesplit::models::onnx_import
