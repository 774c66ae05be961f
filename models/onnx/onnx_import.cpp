#include "models/onnx/onnx_import.hpp"
#include "core/error.hpp"
#include "models/onnx/onnx_attributes.hpp"
#include "models/onnx/onnx_external_data.hpp"
#include "models/onnx/onnx_inference.hpp"
#include "models/onnx/onnx_node.hpp"
#include "models/onnx/onnx_ops.hpp"
#include "models/onnx/onnx_reading.hpp"
#include "models/onnx/onnx_tensors.hpp"
#include "models/onnx/onnx_validation.hpp"
#include "models/onnx/onnx_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace pipesplit::models {

using namespace onnx_import;

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
  GraphImporter(const onnx::GraphProto& graph, const TensorTable& tensors, const std::string& path, Model& model,
                const WeightSources& weight_sources);
  void run(const ImportObserver& observe);

private:
  bool is_constant(const onnx::NodeProto& node) const;
  Layer layer(const NodeView& node, const OpRule& rule);
  std::optional<std::vector<double>> small_constant(const std::string& tensor) const;
  void remember_constant(const onnx::NodeProto& node);
  std::string unique_name(const onnx::NodeProto& node) const;
  std::vector<std::string> layer_inputs(const NodeView& node) const;
  void add_weights(const NodeView& node, Weights weights, Layer& layer);
  void add_weight(const NodeView& node, const std::string& tensor, bool trainable, Layer& layer);
  void set_outputs(const NodeView& node, Layer& layer);
  void set_output_parts(const NodeView& node, Layer& layer);
  void record_reader(const NodeView& node, const std::string& reader);

  const onnx::GraphProto& graph_;
  const TensorTable& tensors_;
  const std::string& path_;
  Model& model_;
  const WeightSources& weight_sources_;
  std::set<std::string> read_;                                   // tensors some node or the graph's outputs read
  std::set<std::string> constants_;                              // initializers and outputs of folded nodes
  std::map<std::string, const onnx::TensorProto*> initializers_; // and Constant nodes' tensors
  std::set<std::string> counted_weights_;                        // a weight shared by two layers counts once
  std::map<std::string, std::string> producer_;                  // tensor -> layer that makes it (or the model input)
  std::set<std::string> names_;                                  // layer names taken, and the input's
  std::set<std::string> graph_outputs_;
  std::map<std::string, std::pair<size_t, size_t>> part_of_; // tensor -> (layer index, its output part)
};

GraphImporter::GraphImporter(const onnx::GraphProto& graph, const TensorTable& tensors, const std::string& path,
                             Model& model, const WeightSources& weight_sources)
    : graph_(graph), tensors_(tensors), path_(path), model_(model), weight_sources_(weight_sources)
{
  for (const auto& node : graph.node())
    read_.insert(node.input().begin(), node.input().end());
  for (const auto& output : graph.output()) {
    read_.insert(output.name());
    graph_outputs_.insert(output.name());
  }
  for (const auto& initializer : graph.initializer()) {
    constants_.insert(initializer.name());
    initializers_[initializer.name()] = &initializer;
  }
  producer_[model.input_name] = model.input_name;
  names_.insert(model.input_name);
}

void GraphImporter::run(const ImportObserver& observe)
{
  const auto nodes = static_cast<double>(graph_.node_size());
  double walked    = 0;
  for (const auto& proto : graph_.node()) {
    if (observe && static_cast<int>(++walked) % 256 == 0)
      observe({"layers", walked, nodes});
    if (is_constant(proto)) {
      constants_.insert(proto.output().begin(), proto.output().end());
      remember_constant(proto);
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
  layer.name   = unique_name(node.proto());
  layer.op     = rule.op;
  layer.inputs = layer_inputs(node);
  record_reader(node, layer.name);
  const Cost cost = rule.cost(node);
  layer.macs      = cost.macs;
  layer.flop      = cost.flop;
  add_weights(node, rule.weights, layer);
  set_outputs(node, layer);
  std::vector<bool> constant_input;
  ConstantValues values;
  for (const auto& tensor : node.proto().input()) {
    constant_input.push_back(constants_.count(tensor) > 0);
    values.push_back(small_constant(tensor));
  }
  layer.attributes = execution_attributes(node, layer, constant_input, values);
  set_output_parts(node, layer);
  names_.insert(layer.name);
  return layer;
}

// A Constant node the propagation left in the graph: its tensor, for small_constant.
void GraphImporter::remember_constant(const onnx::NodeProto& node)
{
  if (node.op_type() != "Constant" || node.output_size() != 1)
    return;
  for (const auto& attribute : node.attribute())
    if (attribute.name() == "value" && attribute.has_t())
      initializers_[node.output(0)] = &attribute.t();
}

// The values of an initializer of at most 64 elements held in the file (not in a side file): scalars, indices,
// pads; nullopt otherwise.
std::optional<std::vector<double>> GraphImporter::small_constant(const std::string& tensor) const
{
  const auto it = initializers_.find(tensor);
  if (it == initializers_.end() || it->second->data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    return std::nullopt;
  int64_t count = 1;
  for (const auto dim : it->second->dims())
    count *= dim;
  if (count > 64) // a weight: never decoded here
    return std::nullopt;
  const std::optional<Value> value = value_of(*it->second);
  if (!value || value->size() > 64)
    return std::nullopt;
  std::vector<double> values;
  for (int64_t i = 0; i < value->size(); ++i)
    values.push_back(value->real(i));
  return values;
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
    if (!node.has_input(i) || !constants_.count(tensor) || (weights == Weights::data_operand && i > 0))
      continue;
    // Running statistics are state, not trainable weights (as ModelBuilder::batch_norm counts them).
    const bool trainable = !(weights == Weights::batch_norm && i >= 3);
    const auto sources   = weight_sources_.find(tensor);
    if (sources == weight_sources_.end())
      add_weight(node, tensor, trainable, layer);
    else // computed from the input's shape: the weights it was computed from count
      for (const auto& source : sources->second)
        add_weight(node, source, trainable, layer);
  }
}

void GraphImporter::add_weight(const NodeView& node, const std::string& tensor, bool trainable, Layer& layer)
{
  const TensorInfo* info = tensors_.find(tensor);
  if (counted_weights_.count(tensor) || info == nullptr || !info->dims || !is_weight(info->elem_type, *info->dims))
    return;
  const auto count = static_cast<double>(element_count(*info->dims));
  layer.param_bytes += count * node.element_bytes(tensor);
  if (trainable)
    layer.params += count;
  counted_weights_.insert(tensor);
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

// Several outputs read (a Split): each is a part of the layer's output, so that a cut ships only the parts read
// after it. A part the graph outputs is left as one output with the others (the sink would read it with no
// position of its own among the readers), which counts it at every cut up to the sink.
void GraphImporter::set_output_parts(const NodeView& node, Layer& layer)
{
  std::vector<std::string> read;
  for (const auto& output : node.proto().output())
    if (!output.empty() && read_.count(output))
      read.push_back(output);
  if (read.size() < 2 || std::any_of(read.begin(), read.end(), [this](auto& t) { return graph_outputs_.count(t); }))
    return;
  for (const auto& output : read) {
    part_of_[output]   = {model_.layers.size(), layer.output_parts.size()};
    const double count = static_cast<double>(element_count(tensors_.find(output)->dims.value()));
    layer.output_parts.push_back({count * node.element_bytes(output), {}});
  }
}

void GraphImporter::record_reader(const NodeView& node, const std::string& reader)
{
  for (const auto& tensor : node.proto().input()) {
    const auto part = part_of_.find(tensor);
    if (part == part_of_.end())
      continue;
    auto& readers = model_.layers[part->second.first].output_parts[part->second.second].readers;
    if (std::find(readers.begin(), readers.end(), reader) == readers.end())
      readers.push_back(reader);
  }
}

} // namespace

// Bytes of an activation element: the first floating-point graph output's, else the input's (a text model's input
// is int64 token ids, its activations float32).
static std::optional<double> activation_bytes(const onnx::GraphProto& graph, const TensorInfo& input,
                                              const TensorTable& tensors)
{
  for (const auto& output : graph.output())
    if (const TensorInfo* info = tensors.find(output.name());
        info &&
        (info->elem_type == onnx::TensorProto_DataType_FLOAT || info->elem_type == onnx::TensorProto_DataType_DOUBLE ||
         info->elem_type == onnx::TensorProto_DataType_FLOAT16 ||
         info->elem_type == onnx::TensorProto_DataType_BFLOAT16))
      return element_bytes(info->elem_type);
  return element_bytes(input.elem_type);
}

// Name, source and input of the Model, before its layers.
static Model model_skeleton(const std::string& path, const onnx::GraphProto& graph, const std::string& input_name,
                            const TensorTable& tensors)
{
  const TensorInfo& input = *tensors.find(input_name);
  const auto dtype_bytes  = activation_bytes(graph, input, tensors);
  if (!dtype_bytes || std::count(input.dims->begin(), input.dims->end(), unknown_dim) > 0)
    throw InputError(path, "input " + input_name,
                     fmt::format("needs a numeric type and a fixed shape, has {}", dims_to_string(*input.dims)));
  Model model;
  model.name        = std::filesystem::path(path).stem().string();
  model.source      = path;
  model.input_name  = input_name;
  model.input_shape = without_batch(*input.dims);
  model.dtype_bytes = *dtype_bytes;
  model.input_bytes = static_cast<double>(element_count(model.input_shape)) * *element_bytes(input.elem_type);
  return model;
}

Model import_onnx(const std::string& path, const InputShapes& input_shapes, const ImportObserver& observe)
{
  onnx::ModelProto proto = read_model_proto(path, [&observe](double done, double total) {
    if (observe)
      observe({"reading", done, total});
  });
  resolve_external_data(*proto.mutable_graph(), path);
  validate_graph(proto.graph(), path);
  if (observe)
    observe({"shapes", 0, 1});
  const InferredGraph inferred = infer_shapes_at_batch_one(proto, path, input_shapes);
  if (observe)
    observe({"shapes", 1, 1});
  const TensorTable tensors(proto.graph());
  Model model = model_skeleton(path, proto.graph(), inferred.input_name, tensors);
  GraphImporter(proto.graph(), tensors, path, model, inferred.weight_sources).run(observe);
  if (observe)
    observe({"layers", static_cast<double>(proto.graph().node_size()), static_cast<double>(proto.graph().node_size())});
  model.validate();
  return model;
}

} // namespace pipesplit::models
