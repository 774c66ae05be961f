#pragma once
// Small constant tensors as the constant folding computes with them: shapes, indices, masks and scalars. Integer
// and boolean elements are held exactly as int64 (a Slice end of INT64_MAX must survive), floating-point ones as
// double.

#include "core/model.hpp"
#include "models/layer.hpp"
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

// Larger tensors are weights or activations, never shape arithmetic: folding them would only cost memory.
inline constexpr int64_t max_folded_elements = 1 << 20;

struct Value {
  int32_t type = onnx::TensorProto_DataType_INT64;
  Shape dims;                // empty: a scalar
  std::vector<int64_t> ints; // integer and boolean types
  std::vector<double> reals; // floating-point types

  static Value integers(int32_t type, Shape dims, std::vector<int64_t> ints);
  static Value floats(int32_t type, Shape dims, std::vector<double> reals);
  bool integral() const;
  int64_t size() const { return element_count(dims); }
  double real(int64_t i) const { return integral() ? static_cast<double>(ints[i]) : reals[i]; }
  int64_t integer(int64_t i) const { return integral() ? ints[i] : static_cast<int64_t>(reals[i]); }
  // An empty copy of this type, `dims` shaped, filled by set().
  Value like(Shape shape) const;
  Value cast(int32_t to) const;
  void copy_element(const Value& from, int64_t from_index, int64_t to_index);
};

// Whether constant folding computes with this element type (numbers and booleans of at most 8 bytes).
bool foldable_type(int32_t type);

// The value of a tensor of a foldable type and at most max_folded_elements elements; nullopt otherwise. The tensor's
// data sizes must have been checked (validate_tensor_data).
std::optional<Value> value_of(const onnx::TensorProto& tensor);
onnx::TensorProto to_proto(const Value& value, const std::string& name);

} // namespace pipesplit::models::onnx_import
