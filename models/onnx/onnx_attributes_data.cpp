#include "models/onnx/onnx_attributes_data.hpp"

#include <algorithm>

namespace pipesplit::models::onnx_import {

namespace {

std::optional<int64_t> single(const ConstantValues& values, size_t i)
{
  if (i >= values.size() || !values[i] || values[i]->size() != 1)
    return std::nullopt;
  // int64 extremes (INT64_MAX: "to the end") do not survive a double exactly: clamp before converting back.
  return static_cast<int64_t>(std::clamp((*values[i])[0], -9e18, 9e18));
}

int64_t normalised(int64_t axis, size_t rank)
{
  return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
}

// ONNX's Slice clamping of the first element kept along an axis of `length`.
int64_t slice_start(int64_t start, int64_t step, int64_t length)
{
  start = start < 0 ? start + length : start;
  return step > 0 ? std::clamp<int64_t>(start, 0, length) : std::clamp<int64_t>(start, 0, length - 1);
}

} // namespace

int64_t dropped_axes(const Shape& onnx_shape)
{
  return !onnx_shape.empty() && onnx_shape.front() == 1 ? 1 : 0;
}

// One axis (starts, axes and steps of one value each); ends are not needed, the output's shape gives the count.
OpAttributes slice_attributes(const NodeView& node, const ConstantValues& values)
{
  OpAttributes a;
  const Shape in              = node.input_shape(0);
  const auto start            = single(values, 1);
  const auto axis             = node.has_input(3) ? single(values, 3) : std::optional<int64_t>{0}; // ONNX: 0 .. n - 1
  const auto step             = node.has_input(4) ? single(values, 4) : 1;
  const int64_t first_allowed = dropped_axes(in);
  if (!start || !axis || !step || *step == 0)
    return a;
  const int64_t onnx_axis = normalised(*axis, in.size());
  if (onnx_axis < first_allowed || onnx_axis >= static_cast<int64_t>(in.size()))
    return a; // the batch axis
  a.axis    = onnx_axis - first_allowed;
  a.step    = *step;
  a.index   = slice_start(*start, *step, in[static_cast<size_t>(onnx_axis)]);
  a.present = true;
  return a;
}

// Output axis i is input axis perm[i]; an axis of size 1 the input drops (the batch) but the output keeps is -1.
OpAttributes transpose_attributes(const NodeView& node)
{
  OpAttributes a;
  const Shape in = node.input_shape(0), out = node.output_shape(0);
  Shape perm;
  if (node.has_attribute("perm"))
    perm = node.ints_attribute("perm");
  else // ONNX's default reverses the axes
    for (size_t i = in.size(); i-- > 0;)
      perm.push_back(static_cast<int64_t>(i));
  if (perm.size() != in.size() || out.size() != in.size())
    return a;
  const int64_t in_dropped = dropped_axes(in);
  for (size_t i = static_cast<size_t>(dropped_axes(out)); i < perm.size(); ++i)
    a.perm.push_back(perm[i] < in_dropped ? -1 : perm[i] - in_dropped);
  a.present = true;
  return a;
}

// Layer outputs and at most one constant (ViT's class token): its shape without the batch axis and its position.
OpAttributes concat_attributes(const NodeView& node, const std::vector<bool>& constant_input)
{
  OpAttributes a;
  const Shape out           = node.output_shape(0);
  const int64_t out_dropped = dropped_axes(out);
  const int64_t axis        = normalised(node.int_attribute("axis"), out.size());
  if (axis < out_dropped)
    return a;
  a.axis = axis - out_dropped;
  if (std::count(constant_input.begin(), constant_input.end(), true) > 1)
    return a;
  for (size_t i = 0; i < constant_input.size(); ++i)
    if (constant_input[i]) {
      const Shape shape = node.input_shape(static_cast<int>(i));
      a.operand_shape.assign(shape.begin() + out_dropped, shape.end());
      a.index = static_cast<int64_t>(i);
    }
  a.present = true;
  return a;
}

// A constant table looked up by the layer's input (an embedding), a layer's output indexed by one constant index
// (a token, a q / k / v part), or a layer's output indexed by another layer's output.
OpAttributes gather_attributes(const NodeView& node, const std::vector<bool>& constant_input,
                               const ConstantValues& values)
{
  OpAttributes a;
  const Shape data   = node.input_shape(0);
  const int64_t axis = normalised(node.int_attribute("axis", 0), data.size());
  if (constant_input.size() != 2 || (constant_input[0] && constant_input[1]))
    return a;
  if (constant_input[0]) {
    a.operand_shape = data;
    a.rows          = data[static_cast<size_t>(axis)];
    a.axis          = axis;
    a.present       = true;
    return a;
  }
  const int64_t data_dropped = dropped_axes(data);
  if (axis < data_dropped)
    return a;
  a.axis = axis - data_dropped;
  if (constant_input[1]) {
    const auto index = single(values, 1);
    if (!index)
      return a;
    const int64_t length = data[static_cast<size_t>(axis)];
    a.index              = *index < 0 ? *index + length : *index;
  }
  a.present = true;
  return a;
}

// Constant pads of every axis (opset 11 on; not the opset-18 axes input), none on the axis the input drops.
OpAttributes pad_attributes(const NodeView& node, const ConstantValues& values)
{
  OpAttributes a;
  const Shape in    = node.input_shape(0);
  const size_t rank = in.size(), dropped = static_cast<size_t>(dropped_axes(in));
  if (node.has_input(3) || values.size() < 2 || !values[1] || values[1]->size() != 2 * rank)
    return a;
  const std::vector<double>& pads = *values[1];
  if (std::any_of(pads.begin(), pads.end(), [](double p) { return p < 0; }) ||
      (dropped == 1 && (pads[0] != 0 || pads[rank] != 0)))
    return a; // cropping, or padding the batch
  for (size_t i = dropped; i < rank; ++i) {
    a.pad_begin.push_back(static_cast<int64_t>(pads[i]));
    a.pad_end.push_back(static_cast<int64_t>(pads[rank + i]));
  }
  a.mode = node.string_attribute("mode", "constant");
  if (node.has_input(2)) {
    if (values.size() < 3 || !values[2] || values[2]->size() != 1)
      return a;
    a.value = (*values[2])[0];
  }
  a.present = true;
  return a;
}

} // namespace pipesplit::models::onnx_import
