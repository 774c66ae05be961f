#include "models/onnx/onnx_values.hpp"

#include <cstring>

namespace pipesplit::models::onnx_import {

using onnx::TensorProto_DataType;

bool foldable_type(int32_t type)
{
  switch (type) {
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_DOUBLE:
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_BOOL:
    return true;
  default:
    return false;
  }
}

static bool is_integral(int32_t type)
{
  return type != onnx::TensorProto_DataType_FLOAT && type != onnx::TensorProto_DataType_DOUBLE;
}

Value Value::integers(int32_t type, Shape dims, std::vector<int64_t> ints)
{
  Value value;
  value.type = type;
  value.dims = std::move(dims);
  value.ints = std::move(ints);
  return value;
}

Value Value::floats(int32_t type, Shape dims, std::vector<double> reals)
{
  Value value;
  value.type  = type;
  value.dims  = std::move(dims);
  value.reals = std::move(reals);
  return value;
}

bool Value::integral() const
{
  return is_integral(type);
}

Value Value::like(Shape shape) const
{
  const auto count = static_cast<size_t>(element_count(shape));
  return integral() ? integers(type, std::move(shape), std::vector<int64_t>(count))
                    : floats(type, std::move(shape), std::vector<double>(count));
}

Value Value::cast(int32_t to) const
{
  Value result = Value::integers(to, dims, {});
  result.type  = to;
  const auto n = size();
  if (to == onnx::TensorProto_DataType_BOOL)
    for (int64_t i = 0; i < n; ++i)
      result.ints.push_back(real(i) != 0);
  else if (is_integral(to))
    for (int64_t i = 0; i < n; ++i)
      result.ints.push_back(integer(i));
  else
    for (int64_t i = 0; i < n; ++i)
      result.reals.push_back(real(i));
  return result;
}

void Value::copy_element(const Value& from, int64_t from_index, int64_t to_index)
{
  if (integral())
    ints[to_index] = from.integer(from_index);
  else
    reals[to_index] = from.real(from_index);
}

// Raw data is little-endian, as on every machine pipesplit runs on.
template <typename T>
static std::vector<T> raw_elements(const std::string& raw)
{
  std::vector<T> elements(raw.size() / sizeof(T));
  std::memcpy(elements.data(), raw.data(), elements.size() * sizeof(T));
  return elements;
}

template <typename From, typename To>
static std::vector<To> converted(const std::vector<From>& from)
{
  return std::vector<To>(from.begin(), from.end());
}

static std::vector<int64_t> integer_elements(const onnx::TensorProto& tensor)
{
  const std::string& raw = tensor.raw_data();
  switch (tensor.data_type()) {
  case onnx::TensorProto_DataType_INT64:
    return tensor.has_raw_data() ? raw_elements<int64_t>(raw)
                                 : std::vector<int64_t>(tensor.int64_data().begin(), tensor.int64_data().end());
  case onnx::TensorProto_DataType_INT32:
    if (tensor.has_raw_data())
      return converted<int32_t, int64_t>(raw_elements<int32_t>(raw));
    break;
  case onnx::TensorProto_DataType_INT16:
    if (tensor.has_raw_data())
      return converted<int16_t, int64_t>(raw_elements<int16_t>(raw));
    break;
  case onnx::TensorProto_DataType_INT8:
    if (tensor.has_raw_data())
      return converted<int8_t, int64_t>(raw_elements<int8_t>(raw));
    break;
  default: // UINT8, BOOL
    if (tensor.has_raw_data())
      return converted<uint8_t, int64_t>(raw_elements<uint8_t>(raw));
  }
  return std::vector<int64_t>(tensor.int32_data().begin(), tensor.int32_data().end());
}

static std::vector<double> real_elements(const onnx::TensorProto& tensor)
{
  if (tensor.data_type() == onnx::TensorProto_DataType_DOUBLE)
    return tensor.has_raw_data() ? raw_elements<double>(tensor.raw_data())
                                 : std::vector<double>(tensor.double_data().begin(), tensor.double_data().end());
  return tensor.has_raw_data() ? converted<float, double>(raw_elements<float>(tensor.raw_data()))
                               : std::vector<double>(tensor.float_data().begin(), tensor.float_data().end());
}

std::optional<Value> value_of(const onnx::TensorProto& tensor)
{
  const Shape dims(tensor.dims().begin(), tensor.dims().end());
  if (!foldable_type(tensor.data_type()) || element_count(dims) > max_folded_elements ||
      tensor.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    return std::nullopt;
  if (is_integral(tensor.data_type()))
    return Value::integers(tensor.data_type(), dims, integer_elements(tensor));
  return Value::floats(tensor.data_type(), dims, real_elements(tensor));
}

onnx::TensorProto to_proto(const Value& value, const std::string& name)
{
  onnx::TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(value.type);
  for (auto dim : value.dims)
    tensor.add_dims(dim);
  switch (value.type) {
  case onnx::TensorProto_DataType_FLOAT:
    for (double x : value.reals)
      tensor.add_float_data(static_cast<float>(x));
    break;
  case onnx::TensorProto_DataType_DOUBLE:
    for (double x : value.reals)
      tensor.add_double_data(x);
    break;
  case onnx::TensorProto_DataType_INT64:
    for (int64_t x : value.ints)
      tensor.add_int64_data(x);
    break;
  default: // int32 and narrower, bool: int32_data
    for (int64_t x : value.ints)
      tensor.add_int32_data(static_cast<int32_t>(x));
  }
  return tensor;
}

} // namespace pipesplit::models::onnx_import
