#include "models/onnx/onnx_node.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pipesplit::models::onnx_import {

NodeView::NodeView(const onnx::NodeProto& node, const TensorTable& tensors, const std::string& file)
    : node_(node), tensors_(tensors), file_(file)
{}

std::string NodeView::label() const
{
  if (!node_.name().empty())
    return fmt::format("node '{}' ({})", node_.name(), node_.op_type());
  // Output names are unique in a graph (static single assignment).
  return fmt::format("node with output '{}' ({})", node_.output_size() > 0 ? node_.output(0) : "", node_.op_type());
}

void NodeView::fail(const std::string& what) const
{
  throw InputError(fmt::format("{}: {}: {}", file_, label(), what));
}

bool NodeView::has_input(int i) const
{
  return i < node_.input_size() && !node_.input(i).empty();
}

Shape NodeView::known_shape(const std::string& tensor, const std::string& role) const
{
  const TensorInfo* info = tensors_.find(tensor);
  if (info == nullptr || !info->dims)
    fail(fmt::format("shape inference left the shape of {} '{}' unknown", role, tensor));
  if (std::find(info->dims->begin(), info->dims->end(), unknown_dim) != info->dims->end())
    fail(fmt::format("shape inference left dimensions of {} '{}' unknown: {}", role, tensor,
                     dims_to_string(*info->dims)));
  return *info->dims;
}

Shape NodeView::input_shape(int i) const
{
  if (!has_input(i))
    fail(fmt::format("input {} is missing", i));
  return known_shape(node_.input(i), "input");
}

Shape NodeView::output_shape(int i) const
{
  if (i >= node_.output_size() || node_.output(i).empty())
    fail(fmt::format("output {} is missing", i));
  return known_shape(node_.output(i), "output");
}

double NodeView::element_bytes(const std::string& tensor) const
{
  const TensorInfo* info = tensors_.find(tensor);
  const auto bytes       = info ? onnx_import::element_bytes(info->elem_type) : std::nullopt;
  if (!bytes)
    fail(fmt::format("tensor '{}' has no element type of a known size", tensor));
  return *bytes;
}

const onnx::AttributeProto* NodeView::attribute(const std::string& name) const
{
  for (const auto& attribute : node_.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

int64_t NodeView::int_attribute(const std::string& name, std::optional<int64_t> fallback) const
{
  const auto* found = attribute(name);
  if (found == nullptr && !fallback)
    fail(fmt::format("attribute '{}' is missing", name));
  return found ? found->i() : *fallback;
}

std::vector<int64_t> NodeView::ints_attribute(const std::string& name) const
{
  const auto* found = attribute(name);
  if (found == nullptr)
    fail(fmt::format("attribute '{}' is missing", name));
  return {found->ints().begin(), found->ints().end()};
}

double NodeView::float_attribute(const std::string& name, double fallback) const
{
  const auto* found = attribute(name);
  return found ? found->f() : fallback;
}

std::string NodeView::string_attribute(const std::string& name, const std::string& fallback) const
{
  const auto* found = attribute(name);
  return found ? found->s() : fallback;
}

} // namespace pipesplit::models::onnx_import
