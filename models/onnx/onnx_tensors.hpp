#pragma once
// What shape inference knows about every tensor of a graph: element type and dimensions, by tensor name.

#include "models/layer.hpp"
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pipesplit::models::onnx_import {

inline constexpr int64_t unknown_dim = -1; // a symbolic or missing dimension

struct TensorInfo {
  int32_t elem_type = onnx::TensorProto_DataType_UNDEFINED;
  std::optional<std::vector<int64_t>> dims; // absent when inference gave no shape (not even the rank)
};

class TensorTable {
public:
  // Reads the graph's inputs, outputs, value_info (filled by shape inference) and initializers.
  explicit TensorTable(const onnx::GraphProto& graph);
  const TensorInfo* find(const std::string& name) const; // nullptr if the graph says nothing about it

private:
  std::unordered_map<std::string, TensorInfo> tensors_;
};

// Bytes of one element of an ONNX data type; nullopt for types without a fixed size (strings, undefined).
std::optional<double> element_bytes(int32_t elem_type);

// "[1, 3, ?, ?]"
std::string dims_to_string(const std::vector<int64_t>& dims);

} // namespace pipesplit::models::onnx_import
