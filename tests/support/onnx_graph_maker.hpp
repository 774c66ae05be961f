#pragma once
// Small ONNX models built with the protobuf API, for what the zoo files and the PyTorch exports do not exercise
// (models tests only: they link pipesplit_onnx).

#include "core/model.hpp"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace pipesplit::test {

class GraphMaker {
public:
  explicit GraphMaker(int opset_version = 13)
  {
    model_.set_ir_version(8);
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(opset_version);
  }

  // A float tensor; -1 is a symbolic dimension.
  void input(const std::string& name, const std::vector<int64_t>& dims) { declare(graph().add_input(), name, dims); }
  void output(const std::string& name, const std::vector<int64_t>& dims) { declare(graph().add_output(), name, dims); }

  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::string& output)
  {
    auto* node = graph().add_node();
    node->set_op_type(op);
    node->set_name(name);
    for (const auto& input : inputs)
      node->add_input(input);
    node->add_output(output);
    return *node;
  }

  void int64_initializer(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& values)
  {
    auto* tensor = graph().add_initializer();
    fill_int64(*tensor, name, dims, values);
  }

  onnx::TensorProto& float_initializer(const std::string& name, const std::vector<int64_t>& dims)
  {
    auto* tensor = graph().add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (auto dim : dims)
      tensor->add_dims(dim);
    tensor->set_raw_data(std::string(static_cast<size_t>(core::element_count(dims)) * 4, '\0'));
    return *tensor;
  }

  static void fill_int64(onnx::TensorProto& tensor, const std::string& name, const std::vector<int64_t>& dims,
                         const std::vector<int64_t>& values)
  {
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto_DataType_INT64);
    for (auto dim : dims)
      tensor.add_dims(dim);
    for (auto value : values)
      tensor.add_int64_data(value);
  }

  std::string write(const std::string& file_name) const
  {
    return write_to(std::filesystem::temp_directory_path() / ("pipesplit_onnx_" + file_name));
  }

  std::string write_to(const std::filesystem::path& path) const
  {
    std::ofstream out(path, std::ios::binary);
    model_.SerializeToOstream(&out);
    return path.string();
  }

private:
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  static void declare(onnx::ValueInfoProto* value, const std::string& name, const std::vector<int64_t>& dims)
  {
    value->set_name(name);
    auto* tensor = value->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto_DataType_FLOAT);
    for (auto dim : dims) {
      auto* proto = tensor->mutable_shape()->add_dim();
      if (dim < 0)
        proto->set_dim_param("N");
      else
        proto->set_dim_value(dim);
    }
  }

  onnx::ModelProto model_;
};

inline onnx::AttributeProto& attribute(onnx::NodeProto& node, const std::string& name,
                                       onnx::AttributeProto_AttributeType type)
{
  auto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(type);
  return *attribute;
}

} // namespace pipesplit::test
