#include "models/onnx/onnx_tensors.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pipesplit::models::onnx_import {

static TensorInfo info_of(const onnx::TypeProto& type)
{
  TensorInfo info;
  if (!type.has_tensor_type())
    return info; // sequences and maps: no shape a layer could use
  const auto& tensor = type.tensor_type();
  info.elem_type     = tensor.elem_type();
  if (!tensor.has_shape())
    return info;
  info.dims.emplace();
  for (const auto& dim : tensor.shape().dim())
    info.dims->push_back(dim.has_dim_value() ? dim.dim_value() : unknown_dim);
  return info;
}

TensorTable::TensorTable(const onnx::GraphProto& graph)
{
  for (const auto* list : {&graph.input(), &graph.output(), &graph.value_info()})
    for (const auto& value : *list)
      tensors_[value.name()] = info_of(value.type());
  // Initializers last: their dimensions are data, not inferred.
  for (const auto& initializer : graph.initializer())
    tensors_[initializer.name()] = {initializer.data_type(),
                                    std::vector<int64_t>(initializer.dims().begin(), initializer.dims().end())};
}

const TensorInfo* TensorTable::find(const std::string& name) const
{
  const auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

std::optional<double> element_bytes(int32_t elem_type)
{
  switch (elem_type) {
  case onnx::TensorProto_DataType_BOOL:
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
    return 1;
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_UINT16:
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16:
    return 2;
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_UINT32:
  case onnx::TensorProto_DataType_FLOAT:
    return 4;
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_UINT64:
  case onnx::TensorProto_DataType_DOUBLE:
  case onnx::TensorProto_DataType_COMPLEX64:
    return 8;
  case onnx::TensorProto_DataType_COMPLEX128:
    return 16;
  default:
    return std::nullopt;
  }
}

std::string dims_to_string(const std::vector<int64_t>& dims)
{
  std::vector<std::string> parts;
  for (auto dim : dims)
    parts.push_back(dim == unknown_dim ? "?" : std::to_string(dim));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

} // namespace pipesplit::models::onnx_import
