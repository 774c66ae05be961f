#include "models/onnx/onnx_attributes.hpp"

#include <algorithm>
#include <set>

namespace pipesplit::models::onnx_import {

namespace {

std::vector<int64_t> ints_or(const NodeView& node, const std::string& name, std::vector<int64_t> fallback)
{
  return node.has_attribute(name) ? node.ints_attribute(name) : fallback;
}

// ONNX counts the batch axis; pipesplit's shapes omit it.
int64_t axis_without_batch(const NodeView& node, int64_t fallback)
{
  const auto rank    = static_cast<int64_t>(node.output_shape(0).size());
  const int64_t axis = node.int_attribute("axis", fallback);
  return (axis < 0 ? axis + rank : axis) - 1;
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
  const auto rank = static_cast<int64_t>(node.input_shape(0).size());
  if (!node.has_attribute("axes"))
    return a; // opset 18 gives the axes as an input; no axes reduces the batch too
  std::vector<int64_t> axes = node.ints_attribute("axes");
  for (auto& axis : axes)
    axis = axis < 0 ? axis + rank : axis;
  std::sort(axes.begin(), axes.end());
  a.present = !axes.empty() && axes.front() >= 1 && axes.back() == rank - 1 &&
              axes.back() - axes.front() + 1 == static_cast<int64_t>(axes.size());
  a.axis = a.present ? axes.front() - 1 : 0;
  return a;
}

// Pow by a constant scalar exponent (a decomposed LayerNorm's x^2): `beta` is the exponent, as oneDNN's eltwise_pow
// names it.
OpAttributes power(const std::vector<std::optional<double>>& scalar_input)
{
  OpAttributes a;
  a.present = scalar_input.size() == 2 && scalar_input[1].has_value();
  a.beta    = a.present ? *scalar_input[1] : 0;
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

// Slice (opset >= 10) of one axis, not the batch's, with step 1: `axis` without the batch, `index` the first element
// kept (the output's shape gives how many). Absent for other forms.
OpAttributes slice(const NodeView& node, const std::vector<std::optional<double>>& scalar_input)
{
  OpAttributes a;
  const auto given = [&](size_t i) { return i < scalar_input.size() && scalar_input[i].has_value(); };
  if (!given(1) || !given(3) || (node.has_input(4) && (!given(4) || *scalar_input[4] != 1)))
    return a;
  const Shape in       = node.input_shape(0);
  const auto rank      = static_cast<int64_t>(in.size());
  const auto raw_axis  = static_cast<int64_t>(*scalar_input[3]);
  const int64_t axis   = raw_axis < 0 ? raw_axis + rank : raw_axis;
  const auto raw_start = static_cast<int64_t>(*scalar_input[1]);
  if (axis < 1 || axis >= rank)
    return a;
  const int64_t length = in[static_cast<size_t>(axis)];
  a.index              = std::clamp<int64_t>(raw_start < 0 ? raw_start + length : raw_start, 0, length);
  a.axis               = axis - 1;
  a.present            = true;
  return a;
}

} // namespace

OpAttributes execution_attributes(const NodeView& node, const Layer& layer, const std::vector<bool>& constant_input,
                                  const std::vector<std::optional<double>>& scalar_input)
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
    a.present = true;
    a.axis    = axis_without_batch(node, 1);
  } else if (type == "LRN") {
    a.present = true;
    a.size    = node.int_attribute("size");
    a.alpha   = node.float_attribute("alpha", 1e-4);
    a.beta    = node.float_attribute("beta", 0.75);
    a.k       = node.float_attribute("bias", 1.0);
  } else if (type == "Transpose") {
    const auto rank = static_cast<int64_t>(node.output_shape(0).size());
    Shape perm;
    if (node.has_attribute("perm"))
      perm = node.ints_attribute("perm");
    else // ONNX's default reverses the axes, the batch's included
      for (int64_t i = rank; i-- > 0;)
        perm.push_back(i);
    a.present = static_cast<int64_t>(perm.size()) == rank && !perm.empty() && perm[0] == 0;
    for (size_t i = 1; a.present && i < perm.size(); ++i)
      a.perm.push_back(perm[i] - 1); // without the batch axis
  } else if (type == "Add" || type == "Mul" || type == "Sub" || type == "Div") {
    a = binary(node, layer, constant_input);
  } else if (type == "Slice") {
    a = slice(node, scalar_input);
  } else if (type == "Pow") {
    a = power(scalar_input);
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
