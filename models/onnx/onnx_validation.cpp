#include "models/onnx/onnx_validation.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "models/onnx/onnx_external_data.hpp"
#include "models/onnx/onnx_tensors.hpp"

#include <fmt/format.h>

#include <set>

namespace pipesplit::models::onnx_import {

namespace {

// Elements the typed field of a tensor holds (the one its data type uses), for tensors without raw data.
int64_t typed_elements(const onnx::TensorProto& tensor)
{
  switch (tensor.data_type()) {
  case onnx::TensorProto_DataType_FLOAT:
    return tensor.float_data_size();
  case onnx::TensorProto_DataType_DOUBLE:
    return tensor.double_data_size();
  case onnx::TensorProto_DataType_INT64:
    return tensor.int64_data_size();
  case onnx::TensorProto_DataType_UINT32:
  case onnx::TensorProto_DataType_UINT64:
    return tensor.uint64_data_size();
  case onnx::TensorProto_DataType_COMPLEX64:
    return tensor.float_data_size() / 2;
  case onnx::TensorProto_DataType_COMPLEX128:
    return tensor.double_data_size() / 2;
  default: // int32 and narrower, bool, float16
    return tensor.int32_data_size();
  }
}

void validate_tensor(const onnx::TensorProto& tensor, const std::string& path, const std::string& field)
{
  int64_t count = 1;
  for (auto dim : tensor.dims()) {
    if (dim < 0)
      throw InputError(path, field, fmt::format("negative dimension {}", dim));
    count *= dim;
  }
  if (has_external_data(tensor))
    return; // its file's size was checked (resolve_external_data)
  const auto bytes = element_bytes(tensor.data_type());
  if (!bytes || tensor.data_type() == onnx::TensorProto_DataType_STRING)
    return; // strings: never shapes, never folded
  const int64_t held = tensor.has_raw_data() ? static_cast<int64_t>(tensor.raw_data().size())
                                             : typed_elements(tensor) * static_cast<int64_t>(*bytes);
  if (held != count * static_cast<int64_t>(*bytes))
    throw InputError(path, field,
                     fmt::format("{} bytes of data for dimensions {} of {}-byte elements ({} bytes)", held,
                                 dims_to_string(std::vector<int64_t>(tensor.dims().begin(), tensor.dims().end())),
                                 *bytes, count * static_cast<int64_t>(*bytes)));
}

std::string node_field(const onnx::NodeProto& node)
{
  return node.name().empty()
             ? fmt::format("node with output '{}' ({})", node.output_size() ? node.output(0) : "", node.op_type())
             : fmt::format("node '{}' ({})", node.name(), node.op_type());
}

// Convolutions and pooling: windows, strides and dilations of at least 1, no negative padding.
void validate_window(const onnx::NodeProto& node, const std::string& path)
{
  static const std::set<std::string> windowed = {"Conv",   "ConvTranspose", "MaxPool",     "AveragePool",
                                                 "LpPool", "MaxUnpool",     "ConvInteger", "QLinearConv"};
  if (!windowed.count(node.op_type()))
    return;
  for (const auto& attribute : node.attribute()) {
    const std::string& name = attribute.name();
    const int64_t least     = name == "pads"                                                       ? 0
                              : name == "strides" || name == "dilations" || name == "kernel_shape" ? 1
                                                                                                   : -1;
    for (auto value : attribute.ints())
      if (least >= 0 && value < least)
        throw InputError(
            fmt::format("{}: {}: attribute '{}' has {}, needs {} or more", path, node_field(node), name, value, least));
  }
}

} // namespace

void validate_graph(const onnx::GraphProto& graph, const std::string& path)
{
  for (const auto& initializer : graph.initializer())
    validate_tensor(initializer, path, fmt::format("initializer '{}'", initializer.name()));
  std::set<std::string> inputs;
  for (const auto& input : graph.input())
    inputs.insert(input.name());
  for (const auto& output : graph.output())
    if (inputs.count(output.name()))
      throw InputError(path, fmt::format("graph output '{}'", output.name()),
                       "is a graph input: an output must be computed by a node");
  for (const auto& node : graph.node()) {
    validate_window(node, path);
    for (const auto& attribute : node.attribute())
      if (attribute.has_t())
        validate_tensor(attribute.t(), path, fmt::format("{} attribute '{}'", node_field(node), attribute.name()));
  }
}

} // namespace pipesplit::models::onnx_import
