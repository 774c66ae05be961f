// Seeds the fuzzers need in a form no shipped file has (bench/fuzz.sh runs it; its output is checked in under
// corpus/): the platform views of the shipped platforms, as the loader's child sends them, and a small ONNX model
// (a convolution, a ReLU, a pooling, a reshape and a fully connected layer) built with the protobuf API.
// Usage: pipesplit_fuzz_seeds SOURCE_DIR CORPUS_DIR

#include "sim/platform_loader.hpp"
#include "sim/platform_view_json.hpp"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;

namespace {

void add_value(onnx::ValueInfoProto* value, const std::string& name, const std::vector<int64_t>& dims)
{
  value->set_name(name);
  auto* tensor = value->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto_DataType_FLOAT);
  for (auto dim : dims)
    tensor->mutable_shape()->add_dim()->set_dim_value(dim);
}

onnx::NodeProto* add_node(onnx::GraphProto& graph, const std::string& op, std::vector<std::string> inputs,
                          const std::string& output)
{
  auto* node = graph.add_node();
  node->set_op_type(op);
  node->set_name(output);
  for (const auto& input : inputs)
    node->add_input(input);
  node->add_output(output);
  return node;
}

void add_ints(onnx::NodeProto* node, const std::string& name, std::vector<int64_t> values)
{
  auto* attribute = node->add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto_AttributeType_INTS);
  for (auto value : values)
    attribute->add_ints(value);
}

void add_weights(onnx::GraphProto& graph, const std::string& name, const std::vector<int64_t>& dims)
{
  auto* tensor = graph.add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto_DataType_FLOAT);
  int64_t count = 1;
  for (auto dim : dims) {
    tensor->add_dims(dim);
    count *= dim;
  }
  tensor->set_raw_data(std::string(static_cast<size_t>(count) * 4, '\0'));
}

// 1x3x8x8 -> Conv 4x3x3x3 (pad 1) -> Relu -> MaxPool 2x2/2 -> Flatten -> Gemm 64 -> 10.
onnx::ModelProto small_cnn()
{
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  auto& graph = *model.mutable_graph();
  graph.set_name("small_cnn");
  add_value(graph.add_input(), "image", {1, 3, 8, 8});
  add_weights(graph, "conv_w", {4, 3, 3, 3});
  add_weights(graph, "fc_w", {10, 64});
  add_ints(add_node(graph, "Conv", {"image", "conv_w"}, "conv"), "pads", {1, 1, 1, 1});
  add_node(graph, "Relu", {"conv"}, "relu");
  auto* pool = add_node(graph, "MaxPool", {"relu"}, "pool");
  add_ints(pool, "kernel_shape", {2, 2});
  add_ints(pool, "strides", {2, 2});
  add_node(graph, "Flatten", {"pool"}, "flat");
  auto* fc    = add_node(graph, "Gemm", {"flat", "fc_w"}, "logits");
  auto* trans = fc->add_attribute();
  trans->set_name("transB");
  trans->set_type(onnx::AttributeProto_AttributeType_INT);
  trans->set_i(1);
  add_value(graph.add_output(), "logits", {1, 10});
  return model;
}

} // namespace

int main(int argc, char** argv)
{
  if (argc != 3) {
    std::cerr << "usage: pipesplit_fuzz_seeds SOURCE_DIR CORPUS_DIR\n";
    return 2;
  }
  const fs::path source(argv[1]), corpus(argv[2]);
  fs::create_directories(corpus / "platform");
  fs::create_directories(corpus / "onnx");
  for (const auto& folder : {source / "platforms", source / "tests" / "data"})
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() != ".xml")
        continue;
      try {
        const auto view = pipesplit::sim::load_platform_view(entry.path().string());
        std::ofstream(corpus / "platform" / ("seed_" + entry.path().stem().string() + ".json"))
            << pipesplit::sim::platform_view_to_json(view);
      } catch (const std::exception& e) { // the shipped platforms that test the loader's errors
        std::cerr << entry.path().filename().string() << ": no seed (" << e.what() << ")\n";
      }
    }
  std::ofstream out(corpus / "onnx" / "seed_small_cnn.onnx", std::ios::binary);
  small_cnn().SerializeToOstream(&out);
  return 0;
}
