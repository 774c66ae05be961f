#pragma once
// One ONNX node as the cost rules see it: shapes of its tensors and its attributes, read on demand so that an
// unknown dimension is reported only where a figure needs it, and every error names the file and the node.

#include "core/model.hpp"
#include "models/layer.hpp"
#include "models/onnx/onnx_tensors.hpp"

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

class NodeView {
public:
  NodeView(const onnx::NodeProto& node, const TensorTable& tensors, const std::string& file);

  const onnx::NodeProto& proto() const { return node_; }
  std::string label() const;   // "node 'conv1' (Conv)", or "node with output 'x' (Conv)" when it has no name
  bool has_input(int i) const; // present and not an omitted optional input
  // Shapes as ONNX gives them, batch dimension included (1).
  Shape input_shape(int i) const;
  Shape output_shape(int i) const;
  double element_bytes(const std::string& tensor) const;
  int64_t int_attribute(const std::string& name, std::optional<int64_t> fallback = std::nullopt) const;
  std::vector<int64_t> ints_attribute(const std::string& name) const;
  double float_attribute(const std::string& name, double fallback) const;
  bool has_attribute(const std::string& name) const { return attribute(name) != nullptr; }
  std::string string_attribute(const std::string& name, const std::string& fallback) const;

  [[noreturn]] void fail(const std::string& what) const; // InputError "<file>: <label>: <what>"

private:
  Shape known_shape(const std::string& tensor, const std::string& role) const;
  const onnx::AttributeProto* attribute(const std::string& name) const;

  const onnx::NodeProto& node_;
  const TensorTable& tensors_;
  const std::string& file_;
};

} // namespace pipesplit::models::onnx_import
