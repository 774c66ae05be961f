#include "models/onnx/onnx_import.hpp"
#include "core/error.hpp"
#include "models/onnx/onnx_attributes.hpp"
#include "models/onnx/onnx_inference.hpp"
#include "models/onnx/onnx_node.hpp"
#include "models/onnx/onnx_ops.hpp"
#include "models/onnx/onnx_tensors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace pipesplit::models {

using namespace onnx_import;

static onnx::ModelProto load(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path, "", "cannot open the file");
  onnx::ModelProto model;
  // Protocol buffers accept many byte strings as a message: one without a graph is no ONNX model either.
  if (!model.ParseFromIstream(&in) || model.graph().node_size() == 0)
    throw InputError(path, "", "not an ONNX model (does not parse as an onnx.ModelProto with a graph)");
  return model;
}

static Shape without_batch(Shape shape)
{
  if (!shape.empty() && shape.front() == 1)
    shape.erase(shape.begin());
  return shape;
}

namespace {

// Walks the nodes in their (topological) order: folds the constant ones, turns the others into layers.
class GraphImporter {
public:
  GraphImporter(const onnx::GraphProto& graph, const TensorTable& tensors, const std::string& path, Model& model);
  void run();

private:
  bool is_constant(const onnx::NodeProto& node) const;
  Layer layer(const NodeView& node, const OpRule& rule);
  std::string unique_name(const onnx::NodeProto& node) const;
  std::vector<std::string> layer_inputs(const NodeView& node) const;
  void add_weights(const NodeView& node, Weights weights, Layer& layer);
  void set_outputs(const NodeView& node, Layer& layer);

  const onnx::GraphProto& graph_;
  const TensorTable& tensors_;
  const std::string& path_;
  Model& model_;
  std::set<std::string> read_;                  // tensors some node or the graph's outputs read
  std::set<std::string> constants_;             // initializers and outputs of folded nodes
  std::set<std::string> counted_weights_;       // a weight shared by two layers counts once
  std::map<std::string, std::string> producer_; // tensor -> layer that makes it (or the model input)
  std::set<std::string> names_;                 // layer names taken, and the input's
};

GraphImporter::GraphImporter(const onnx::GraphProto& graph, const TensorTable& tensors, const std::string& path,
                             Model& model)
    : graph_(graph), tensors_(tensors), path_(path), model_(model)
{
  for (const auto& node : graph.node())
    read_.insert(node.input().begin(), node.input().end());
  for (const auto& output : graph.output())
    read_.insert(output.name());
  for (const auto& initializer : graph.initializer())
    constants_.insert(initializer.name());
  producer_[model.input_name] = model.input_name;
  names_.insert(model.input_name);
}

void GraphImporter::run()
{
  for (const auto& proto : graph_.node()) {
    if (is_constant(proto)) {
      constants_.insert(proto.output().begin(), proto.output().end());
      continue;
    }
    const NodeView node(proto, tensors_, path_);
    if (proto.output_size() == 0)
      node.fail("has no output");
    const OpRule* rule = find_op_rule(proto.domain(), proto.op_type());
    if (rule == nullptr)
      node.fail(fmt::format("unsupported op: pipesplit has no FLOP rule for '{}{}'",
                            proto.domain().empty() ? "" : proto.domain() + ".", proto.op_type()));
    model_.layers.push_back(layer(node, *rule));
  }
}

// A node that reads only constants computes a constant: the runtime folds it at load time. (Shape arithmetic became
// initializers during inference.)
bool GraphImporter::is_constant(const onnx::NodeProto& node) const
{
  return std::all_of(node.input().begin(), node.input().end(),
                     [this](const std::string& input) { return input.empty() || constants_.count(input) > 0; });
}

Layer GraphImporter::layer(const NodeView& node, const OpRule& rule)
{
  Layer layer;
  layer.name      = unique_name(node.proto());
  layer.op        = rule.op;
  layer.inputs    = layer_inputs(node);
  const Cost cost = rule.cost(node);
  layer.macs      = cost.macs;
  layer.flop      = cost.flop;
  add_weights(node, rule.weights, layer);
  set_outputs(node, layer);
  layer.attributes = execution_attributes(node, layer);
  names_.insert(layer.name);
  return layer;
}

// The node's name, else its first output's; ONNX does not require either to be unique among layer names.
std::string GraphImporter::unique_name(const onnx::NodeProto& node) const
{
  const std::string base = node.name().empty() ? node.output(0) : node.name();
  std::string name       = base;
  for (int k = 1; names_.count(name); ++k)
    name = fmt::format("{}.{}", base, k);
  return name;
}

std::vector<std::string> GraphImporter::layer_inputs(const NodeView& node) const
{
  std::vector<std::string> inputs;
  for (const auto& tensor : node.proto().input()) {
    if (tensor.empty() || constants_.count(tensor))
      continue;
    const auto it = producer_.find(tensor);
    if (it == producer_.end())
      node.fail(fmt::format("reads '{}', which neither the model input, an initializer nor an earlier node "
                            "provides (nodes must be in topological order)",
                            tensor));
    if (std::find(inputs.begin(), inputs.end(), it->second) == inputs.end())
      inputs.push_back(it->second);
  }
  return inputs;
}

void GraphImporter::add_weights(const NodeView& node, Weights weights, Layer& layer)
{
  const auto& inputs = node.proto().input();
  for (int i = 0; i < inputs.size(); ++i) {
    const std::string& tensor = inputs[i];
    if (!node.has_input(i) || !constants_.count(tensor) || counted_weights_.count(tensor))
      continue;
    if (weights == Weights::data_operand && i > 0)
      continue;
    const double count = static_cast<double>(element_count(node.input_shape(i)));
    layer.param_bytes += count * node.element_bytes(tensor);
    // Running statistics are state, not trainable weights (as ModelBuilder::batch_norm counts them).
    if (!(weights == Weights::batch_norm && i >= 3))
      layer.params += count;
    counted_weights_.insert(tensor);
  }
}

void GraphImporter::set_outputs(const NodeView& node, Layer& layer)
{
  layer.output_shape  = without_batch(node.output_shape(0));
  const auto& outputs = node.proto().output();
  for (int i = 0; i < outputs.size(); ++i) {
    if (outputs[i].empty())
      continue;
    producer_[outputs[i]] = layer.name;
    if (read_.count(outputs[i]))
      layer.output_bytes += static_cast<double>(element_count(node.output_shape(i))) * node.element_bytes(outputs[i]);
  }
}

} // namespace

// Name, source and input of the Model, before its layers.
static Model model_skeleton(const std::string& path, const std::string& input_name, const TensorTable& tensors)
{
  const TensorInfo& input = *tensors.find(input_name);
  const auto dtype_bytes  = element_bytes(input.elem_type);
  if (!dtype_bytes || std::count(input.dims->begin(), input.dims->end(), unknown_dim) > 0)
    throw InputError(path, "input " + input_name,
                     fmt::format("needs a numeric type and a fixed shape, has {}", dims_to_string(*input.dims)));
  Model model;
  model.name        = std::filesystem::path(path).stem().string();
  model.source      = path;
  model.input_name  = input_name;
  model.input_shape = without_batch(*input.dims);
  model.dtype_bytes = *dtype_bytes;
  model.input_bytes = static_cast<double>(element_count(model.input_shape)) * model.dtype_bytes;
  return model;
}

Model import_onnx(const std::string& path)
{
  onnx::ModelProto proto       = load(path);
  const std::string input_name = infer_shapes_at_batch_one(proto, path);
  const TensorTable tensors(proto.graph());
  Model model = model_skeleton(path, input_name, tensors);
  GraphImporter(proto.graph(), tensors, path, model).run();
  model.validate();
  return model;
}

} // namespace pipesplit::models
