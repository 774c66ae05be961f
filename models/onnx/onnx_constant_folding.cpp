#include "models/onnx/onnx_constant_folding.hpp"
#include "models/onnx/onnx_folding_elementwise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace pipesplit::models::onnx_import {

namespace {

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const std::string& name)
{
  for (const auto& attribute : node.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

int64_t int_attribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback)
{
  const auto* attribute = find_attribute(node, name);
  return attribute ? attribute->i() : fallback;
}

std::optional<std::vector<int64_t>> ints_attribute(const onnx::NodeProto& node, const std::string& name)
{
  const auto* attribute = find_attribute(node, name);
  if (attribute == nullptr)
    return std::nullopt;
  return std::vector<int64_t>(attribute->ints().begin(), attribute->ints().end());
}

int64_t normalised_axis(int64_t axis, int64_t rank)
{
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    throw std::invalid_argument(fmt::format("axis {} out of range for rank {}", axis, rank));
  return axis < 0 ? axis + rank : axis;
}

int64_t product(const Shape& dims, size_t first, size_t last)
{
  int64_t p = 1;
  for (size_t i = first; i < last; ++i)
    p *= dims[i];
  return p;
}

Value from_shape(const Shape& dims)
{
  return Value::integers(onnx::TensorProto_DataType_INT64, {static_cast<int64_t>(dims.size())}, dims);
}

// Arguments of one node: constant inputs, known shapes, attributes, all optional until asked for.
class Node {
public:
  Node(const onnx::NodeProto& node, const std::vector<FoldingInput>& inputs, int opset)
      : proto(node), inputs_(inputs), opset(opset)
  {}
  const Value* value(size_t i) const { return i < inputs_.size() ? inputs_[i].value : nullptr; }
  const Shape* shape(size_t i) const { return i < inputs_.size() ? inputs_[i].shape : nullptr; }
  bool present(size_t i) const { return i < inputs_.size() && !proto.input(static_cast<int>(i)).empty(); }
  bool all_values() const
  {
    for (size_t i = 0; i < inputs_.size(); ++i)
      if (present(i) && value(i) == nullptr)
        return false;
    return true;
  }
  // Axes as an attribute (older opsets) or, when present, the given input.
  std::optional<std::vector<int64_t>> axes(size_t input) const
  {
    if (const Value* v = value(input))
      return v->ints;
    return ints_attribute(proto, "axes");
  }

  const onnx::NodeProto& proto;
  const std::vector<FoldingInput>& inputs_;
  const int opset;
};

using Outputs = std::optional<std::vector<Value>>;

Outputs one(Value value)
{
  return std::vector<Value>{std::move(value)};
}

Outputs shape_of(const Node& n)
{
  const Shape* shape = n.shape(0);
  if (shape == nullptr)
    return std::nullopt;
  const auto rank     = static_cast<int64_t>(shape->size());
  auto clamp          = [rank](int64_t i) { return std::clamp(i < 0 ? i + rank : i, int64_t{0}, rank); };
  const int64_t start = clamp(int_attribute(n.proto, "start", 0));
  const int64_t end   = clamp(int_attribute(n.proto, "end", rank));
  return one(from_shape(Shape(shape->begin() + start, shape->begin() + std::max(start, end))));
}

Outputs size_of(const Node& n)
{
  if (n.shape(0) == nullptr)
    return std::nullopt;
  return one(Value::integers(onnx::TensorProto_DataType_INT64, {}, {element_count(*n.shape(0))}));
}

Outputs constant(const Node& n)
{
  for (const auto& attribute : n.proto.attribute()) {
    const std::string& name = attribute.name();
    if (name == "value")
      return value_of(attribute.t()) ? one(*value_of(attribute.t())) : std::nullopt;
    if (name == "value_int")
      return one(Value::integers(onnx::TensorProto_DataType_INT64, {}, {attribute.i()}));
    if (name == "value_ints")
      return one(from_shape(Shape(attribute.ints().begin(), attribute.ints().end())));
    if (name == "value_float")
      return one(Value::floats(onnx::TensorProto_DataType_FLOAT, {}, {attribute.f()}));
    if (name == "value_floats")
      return one(Value::floats(onnx::TensorProto_DataType_FLOAT, {attribute.floats_size()},
                               std::vector<double>(attribute.floats().begin(), attribute.floats().end())));
  }
  return std::nullopt;
}

Outputs gather(const Node& n)
{
  const Value& data    = *n.value(0);
  const Value& indices = *n.value(1);
  const auto rank      = static_cast<int64_t>(data.dims.size());
  if (rank == 0)
    throw std::invalid_argument("Gather from a scalar");
  const auto axis    = static_cast<size_t>(normalised_axis(int_attribute(n.proto, "axis", 0), rank));
  const int64_t size = data.dims[axis];
  Shape dims(data.dims.begin(), data.dims.begin() + static_cast<int64_t>(axis));
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), data.dims.begin() + static_cast<int64_t>(axis) + 1, data.dims.end());
  const int64_t outer = product(data.dims, 0, axis);
  const int64_t inner = product(data.dims, axis + 1, data.dims.size());
  Value out           = data.like(dims);
  int64_t k           = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < indices.size(); ++j) {
      int64_t index = indices.integer(j);
      if (index < -size || index >= size)
        throw std::invalid_argument(fmt::format("index {} out of range for an axis of size {}", index, size));
      index += index < 0 ? size : 0;
      for (int64_t i = 0; i < inner; ++i)
        out.copy_element(data, (o * size + index) * inner + i, k++);
    }
  return one(std::move(out));
}

// Visits every position of `dims` in row-major order.
template <typename F>
void for_each_position(const Shape& dims, F visit)
{
  std::vector<int64_t> position(dims.size(), 0);
  for (int64_t flat = 0, count = element_count(dims); flat < count; ++flat) {
    visit(position, flat);
    for (size_t axis = dims.size(); axis-- > 0;) {
      if (++position[axis] < dims[axis])
        break;
      position[axis] = 0;
    }
  }
}

// Row-major flat index of a position.
int64_t flat_index(const Shape& dims, const std::vector<int64_t>& position)
{
  int64_t index = 0;
  for (size_t axis = 0; axis < dims.size(); ++axis)
    index = index * dims[axis] + position[axis];
  return index;
}

Outputs slice(const Node& n)
{
  const Value& data = *n.value(0);
  const auto rank   = static_cast<int64_t>(data.dims.size());
  const bool inputs = n.opset >= 10;
  const auto starts = inputs ? n.value(1)->ints : ints_attribute(n.proto, "starts").value_or(std::vector<int64_t>{});
  const auto ends   = inputs ? n.value(2)->ints : ints_attribute(n.proto, "ends").value_or(std::vector<int64_t>{});
  std::vector<int64_t> axes = (inputs ? n.axes(3) : ints_attribute(n.proto, "axes")).value_or(std::vector<int64_t>{});
  if (axes.empty())
    for (int64_t a = 0; a < static_cast<int64_t>(starts.size()); ++a)
      axes.push_back(a);
  const std::vector<int64_t> steps = n.value(4) ? n.value(4)->ints : std::vector<int64_t>(axes.size(), 1);
  if (starts.size() != axes.size() || ends.size() != axes.size() || steps.size() != axes.size())
    throw std::invalid_argument("starts, ends, axes and steps of different lengths");
  std::vector<int64_t> first(rank, 0), step(rank, 1);
  Shape dims = data.dims;
  for (size_t k = 0; k < axes.size(); ++k) {
    const auto axis    = static_cast<size_t>(normalised_axis(axes[k], rank));
    const int64_t size = data.dims[axis];
    if (steps[k] == 0)
      throw std::invalid_argument("a step of 0");
    int64_t start      = starts[k] < 0 ? starts[k] + size : starts[k];
    int64_t end        = ends[k] < 0 ? ends[k] + size : ends[k];
    start              = steps[k] > 0 ? std::clamp<int64_t>(start, 0, size) : std::clamp<int64_t>(start, 0, size - 1);
    end                = steps[k] > 0 ? std::clamp<int64_t>(end, 0, size) : std::clamp<int64_t>(end, -1, size - 1);
    const double count = std::ceil(static_cast<double>(end - start) / static_cast<double>(steps[k]));
    dims[axis]         = std::max<int64_t>(0, static_cast<int64_t>(count));
    first[axis]        = start;
    step[axis]         = steps[k];
  }
  Value out = data.like(dims);
  for_each_position(dims, [&](const std::vector<int64_t>& position, int64_t flat) {
    std::vector<int64_t> source(position.size());
    for (size_t axis = 0; axis < position.size(); ++axis)
      source[axis] = first[axis] + position[axis] * step[axis];
    out.copy_element(data, flat_index(data.dims, source), flat);
  });
  return one(std::move(out));
}

Outputs concat(const Node& n)
{
  const Value& head = *n.value(0);
  const auto axis   = static_cast<size_t>(normalised_axis(int_attribute(n.proto, "axis", 0), head.dims.size()));
  Shape dims        = head.dims;
  dims[axis]        = 0;
  std::vector<const Value*> parts;
  for (size_t i = 0; i < n.inputs_.size(); ++i) {
    const Value& part = *n.value(i);
    if (part.dims.size() != head.dims.size())
      throw std::invalid_argument("Concat of tensors of different ranks");
    dims[axis] += part.dims[axis];
    parts.push_back(&part);
  }
  Value out           = head.like(dims);
  const int64_t outer = product(dims, 0, axis);
  int64_t k           = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Value* part : parts) {
      const int64_t block = product(part->dims, axis, part->dims.size());
      for (int64_t i = 0; i < block; ++i)
        out.copy_element(*part, o * block + i, k++);
    }
  if (k != out.size())
    throw std::invalid_argument("Concat of tensors whose other dimensions differ");
  return one(std::move(out));
}

Value reshaped(Value value, Shape dims)
{
  if (element_count(dims) != value.size())
    throw std::invalid_argument(fmt::format("cannot reshape {} elements to {}", value.size(), shape_to_string(dims)));
  value.dims = std::move(dims);
  return value;
}

Outputs unsqueeze(const Node& n)
{
  const auto axes = n.axes(1);
  if (!axes)
    return std::nullopt;
  const Value& data = *n.value(0);
  const auto rank   = static_cast<int64_t>(data.dims.size() + axes->size());
  std::vector<bool> inserted(rank, false);
  for (auto axis : *axes)
    inserted[normalised_axis(axis, rank)] = true;
  Shape dims;
  for (int64_t a = 0, k = 0; a < rank; ++a)
    dims.push_back(inserted[a] ? 1 : data.dims.at(k++));
  return one(reshaped(data, dims));
}

Outputs squeeze(const Node& n)
{
  const Value& data = *n.value(0);
  const auto rank   = static_cast<int64_t>(data.dims.size());
  std::vector<bool> removed(rank, false);
  if (const auto axes = n.axes(1))
    for (auto axis : *axes)
      removed[normalised_axis(axis, rank)] = true;
  else
    for (int64_t a = 0; a < rank; ++a)
      removed[a] = data.dims[a] == 1;
  Shape dims;
  for (int64_t a = 0; a < rank; ++a)
    if (!removed[a])
      dims.push_back(data.dims[a]);
  return one(reshaped(data, dims));
}

Outputs reshape(const Node& n)
{
  const Value& data      = *n.value(0);
  Shape dims             = n.value(1)->ints;
  const bool zero_copies = int_attribute(n.proto, "allowzero", 0) == 0;
  int64_t inferred       = -1;
  for (size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == 0 && zero_copies)
      dims[a] = data.dims.at(a);
    else if (dims[a] == -1 && inferred < 0)
      inferred = static_cast<int64_t>(a);
    else if (dims[a] < 0)
      throw std::invalid_argument(fmt::format("target shape {}", shape_to_string(n.value(1)->ints)));
  }
  if (inferred >= 0) {
    dims[inferred]     = 1;
    const int64_t rest = element_count(dims);
    dims[inferred]     = rest == 0 ? 0 : data.size() / rest;
  }
  return one(reshaped(data, dims));
}

Outputs cast(const Node& n)
{
  const auto to = static_cast<int32_t>(int_attribute(n.proto, "to", 0));
  if (!foldable_type(to))
    return std::nullopt;
  return one(n.value(0)->cast(to));
}

Outputs range(const Node& n)
{
  const Value &start = *n.value(0), &limit = *n.value(1), &delta = *n.value(2);
  if (start.size() != 1 || limit.size() != 1 || delta.size() != 1)
    throw std::invalid_argument("Range of non-scalars");
  if (delta.real(0) == 0)
    throw std::invalid_argument("Range with a delta of 0");
  const double count = std::max(0.0, std::ceil((limit.real(0) - start.real(0)) / delta.real(0)));
  if (count > max_folded_elements)
    return std::nullopt;
  Value out = start.like({static_cast<int64_t>(count)});
  for (int64_t i = 0; i < out.size(); ++i)
    if (out.integral())
      out.ints[i] = start.ints[0] + i * delta.ints[0];
    else
      out.reals[i] = start.reals[0] + static_cast<double>(i) * delta.reals[0];
  return one(std::move(out));
}

Outputs constant_of_shape(const Node& n)
{
  const Shape dims = n.value(0)->ints;
  if (std::any_of(dims.begin(), dims.end(), [](int64_t d) { return d < 0; }))
    throw std::invalid_argument(fmt::format("negative dimension in {}", shape_to_string(dims)));
  if (element_count(dims) > max_folded_elements)
    return std::nullopt;
  const auto* attribute = find_attribute(n.proto, "value");
  const std::optional<Value> fill =
      attribute ? value_of(attribute->t()) : Value::floats(onnx::TensorProto_DataType_FLOAT, {1}, {0.0});
  if (!fill || fill->size() != 1)
    return std::nullopt;
  Value out = fill->like(dims);
  for (int64_t i = 0; i < out.size(); ++i)
    out.copy_element(*fill, 0, i);
  return one(std::move(out));
}

Outputs expand(const Node& n)
{
  const Value& data = *n.value(0);
  const Shape dims  = broadcast_shape(data.dims, n.value(1)->ints);
  if (element_count(dims) > max_folded_elements)
    return std::nullopt;
  const auto source = broadcast_indices(dims, data.dims);
  Value out         = data.like(dims);
  for (size_t i = 0; i < source.size(); ++i)
    out.copy_element(data, source[i], static_cast<int64_t>(i));
  return one(std::move(out));
}

Outputs tile(const Node& n)
{
  const Value& data   = *n.value(0);
  const auto& repeats = n.value(1)->ints;
  if (repeats.size() != data.dims.size())
    throw std::invalid_argument("repeats and input of different ranks");
  Shape dims = data.dims;
  for (size_t a = 0; a < dims.size(); ++a) {
    if (repeats[a] < 0)
      throw std::invalid_argument(fmt::format("a negative repeat {}", repeats[a]));
    dims[a] *= repeats[a];
  }
  if (element_count(dims) > max_folded_elements)
    return std::nullopt;
  Value out = data.like(dims);
  for_each_position(dims, [&](const std::vector<int64_t>& position, int64_t flat) {
    std::vector<int64_t> source(position.size());
    for (size_t axis = 0; axis < position.size(); ++axis)
      source[axis] = position[axis] % data.dims[axis];
    out.copy_element(data, flat_index(data.dims, source), flat);
  });
  return one(std::move(out));
}

Outputs reduce(const Node& n)
{
  const Value& data = *n.value(0);
  const auto rank   = static_cast<int64_t>(data.dims.size());
  const auto axes   = n.axes(1);
  std::vector<bool> reduced(rank, !axes || axes->empty());
  if (axes && axes->empty() && int_attribute(n.proto, "noop_with_empty_axes", 0) != 0)
    return one(data);
  for (auto axis : axes.value_or(std::vector<int64_t>{}))
    reduced[normalised_axis(axis, rank)] = true;
  const bool keep = int_attribute(n.proto, "keepdims", 1) != 0;
  Shape kept_dims = data.dims, out_dims;
  for (int64_t a = 0; a < rank; ++a) {
    kept_dims[a] = reduced[a] ? 1 : data.dims[a];
    if (keep || !reduced[a])
      out_dims.push_back(kept_dims[a]);
  }
  const std::string& op    = n.proto.op_type();
  const std::string binary = op == "ReduceProd" ? "Mul" : op == "ReduceSum" ? "Add" : op == "ReduceMax" ? "Max" : "Min";
  std::vector<std::optional<Value>> acc(static_cast<size_t>(element_count(kept_dims)));
  for_each_position(data.dims, [&](std::vector<int64_t> position, int64_t flat) {
    for (int64_t a = 0; a < rank; ++a)
      position[a] = reduced[a] ? 0 : position[a];
    auto& slot    = acc[flat_index(kept_dims, position)];
    Value element = data.like({});
    element.copy_element(data, flat, 0);
    slot = slot ? *fold_binary(binary, {&*slot, &element}, false) : element;
  });
  Value out = data.like(out_dims);
  for (size_t i = 0; i < acc.size(); ++i)
    if (acc[i])
      out.copy_element(*acc[i], 0, static_cast<int64_t>(i));
  return one(std::move(out));
}

Outputs transpose(const Node& n)
{
  const Value& data         = *n.value(0);
  const size_t rank         = data.dims.size();
  std::vector<int64_t> perm = ints_attribute(n.proto, "perm").value_or(std::vector<int64_t>{});
  if (perm.empty())
    for (size_t a = rank; a-- > 0;)
      perm.push_back(static_cast<int64_t>(a));
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t a = 0; a < sorted.size(); ++a)
    if (sorted.size() != rank || sorted[a] != static_cast<int64_t>(a))
      throw std::invalid_argument("perm is not a permutation of the input's axes");
  Shape dims(rank);
  for (size_t a = 0; a < rank; ++a)
    dims[a] = data.dims[perm[a]];
  Value out = data.like(dims);
  for_each_position(dims, [&](const std::vector<int64_t>& position, int64_t flat) {
    std::vector<int64_t> source(rank);
    for (size_t a = 0; a < rank; ++a)
      source[perm[a]] = position[a];
    out.copy_element(data, flat_index(data.dims, source), flat);
  });
  return one(std::move(out));
}

using Rule = Outputs (*)(const Node&);

// Ops that need every present input's value; Shape and Size need only shapes.
const std::map<std::string, Rule>& value_rules()
{
  static const std::map<std::string, Rule> rules = {
      {"Constant", constant},   {"Gather", gather},
      {"Slice", slice},         {"Concat", concat},
      {"Unsqueeze", unsqueeze}, {"Squeeze", squeeze},
      {"Reshape", reshape},     {"Cast", cast},
      {"Range", range},         {"ConstantOfShape", constant_of_shape},
      {"Expand", expand},       {"Tile", tile},
      {"ReduceProd", reduce},   {"ReduceSum", reduce},
      {"ReduceMax", reduce},    {"ReduceMin", reduce},
      {"Transpose", transpose},
  };
  return rules;
}

Outputs element_wise(const Node& n)
{
  const std::string& op = n.proto.op_type();
  if (op == "Where") {
    auto result = fold_where(*n.value(0), *n.value(1), *n.value(2));
    return result ? one(std::move(*result)) : std::nullopt;
  }
  if (n.inputs_.size() == 1)
    if (auto result = fold_unary(op, *n.value(0)))
      return one(std::move(*result));
  std::vector<const Value*> operands;
  for (size_t i = 0; i < n.inputs_.size(); ++i)
    operands.push_back(n.value(i));
  if (auto result = fold_binary(op, operands, int_attribute(n.proto, "fmod", 0) != 0))
    return one(std::move(*result));
  return std::nullopt;
}

} // namespace

std::optional<std::vector<Value>> fold_node(const onnx::NodeProto& proto, const std::vector<FoldingInput>& inputs,
                                            int opset)
{
  const Node n(proto, inputs, opset);
  const std::string& op = proto.op_type();
  if (!proto.domain().empty() && proto.domain() != "ai.onnx")
    return std::nullopt;
  if (op == "Shape")
    return shape_of(n);
  if (op == "Size")
    return size_of(n);
  // Inputs an op cannot do without (ONNX's checker is not run: the file may omit them).
  const std::map<std::string, size_t> required = {
      {"Gather", 2}, {"Slice", opset >= 10 ? 3 : 1}, {"Reshape", 2}, {"Range", 3}, {"Expand", 2}, {"Tile", 2},
      {"Where", 3}};
  const auto needed = required.find(op);
  for (size_t i = 0; needed != required.end() && i < needed->second; ++i)
    if (!n.present(i))
      return std::nullopt;
  if (!n.all_values() || (op != "Constant" && (inputs.empty() || n.value(0) == nullptr)))
    return std::nullopt;
  const auto& rules = value_rules();
  const auto it     = rules.find(op);
  return it != rules.end() ? it->second(n) : element_wise(n);
}

} // namespace pipesplit::models::onnx_import
