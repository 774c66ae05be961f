#include "models/onnx/onnx_propagation.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "models/onnx/onnx_constant_folding.hpp"
#include "models/onnx/onnx_einsum.hpp"
#include "models/onnx/onnx_external_data.hpp"
#include "models/onnx/onnx_values.hpp"

#include <fmt/format.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace pipesplit::models::onnx_import {

bool is_weight(int32_t elem_type, const Shape& dims)
{
  return element_count(dims) > 1 && elem_type != onnx::TensorProto_DataType_INT64 &&
         elem_type != onnx::TensorProto_DataType_INT32 && elem_type != onnx::TensorProto_DataType_BOOL;
}

bool is_weight(const onnx::TensorProto& tensor)
{
  return is_weight(tensor.data_type(), Shape(tensor.dims().begin(), tensor.dims().end()));
}

namespace {

std::string node_label(const onnx::NodeProto& node)
{
  if (!node.name().empty())
    return fmt::format("node '{}' ({})", node.name(), node.op_type());
  return fmt::format("node with output '{}' ({})", node.output_size() > 0 ? node.output(0) : "", node.op_type());
}

std::optional<Shape> known_shape(const onnx::TypeProto& type)
{
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return std::nullopt;
  Shape dims;
  for (const auto& dim : type.tensor_type().shape().dim()) {
    if (!dim.has_dim_value())
      return std::nullopt;
    dims.push_back(dim.dim_value());
  }
  return dims;
}

onnx::TypeProto tensor_type(int32_t elem_type, const Shape& dims)
{
  onnx::TypeProto type;
  auto* tensor = type.mutable_tensor_type();
  tensor->set_elem_type(elem_type);
  auto* shape = tensor->mutable_shape();
  for (auto dim : dims)
    shape->add_dim()->set_dim_value(dim);
  return type;
}

class Propagator {
public:
  Propagator(onnx::ModelProto& model, const std::string& path);
  void run();
  WeightSources write_back();

private:
  int opset_of(const std::string& domain) const;
  void infer(onnx::NodeProto& node);
  void infer_einsum(const onnx::NodeProto& node);
  void fold(const onnx::NodeProto& node);
  void record_folded(const onnx::NodeProto& node, std::vector<Value> outputs);
  const Value* value(const std::string& name, bool convert);

  onnx::GraphProto& graph_;
  const std::string& path_;
  std::map<std::string, int> opsets_; // domain ("" for ONNX's) -> version
  std::unordered_map<std::string, onnx::TypeProto> types_;
  std::unordered_map<std::string, Value> values_;                  // every constant folding knows
  std::unordered_map<std::string, const onnx::TensorProto*> data_; // the same as ONNX's inference reads them
  std::unordered_map<std::string, onnx::TensorProto> folded_;      // protos of folded outputs (their storage)
  std::unordered_set<std::string> constants_;                      // initializers and outputs of constant nodes
  WeightSources derived_;                                          // shape-dependent constants and their weights
};

Propagator::Propagator(onnx::ModelProto& model, const std::string& path) : graph_(*model.mutable_graph()), path_(path)
{
  for (const auto& opset : model.opset_import())
    opsets_[opset.domain() == "ai.onnx" ? "" : opset.domain()] = static_cast<int>(opset.version());
  for (const auto& input : graph_.input())
    types_[input.name()] = input.type();
  for (const auto& initializer : graph_.initializer()) {
    types_[initializer.name()] =
        tensor_type(initializer.data_type(), Shape(initializer.dims().begin(), initializer.dims().end()));
    if (!has_external_data(initializer)) // a weight in its file: ONNX's inference needs only its type
      data_[initializer.name()] = &initializer;
    constants_.insert(initializer.name());
  }
}

int Propagator::opset_of(const std::string& domain) const
{
  const auto it = opsets_.find(domain == "ai.onnx" ? "" : domain);
  return it == opsets_.end() ? 1 : it->second;
}

void Propagator::run()
{
  for (auto& node : *graph_.mutable_node()) {
    infer(node);
    fold(node);
  }
}

// ONNX's inference function of the op, fed only the node's own inputs (so the pass stays linear).
void Propagator::infer(onnx::NodeProto& node)
{
  const auto* schema = onnx::OpSchemaRegistry::Schema(node.op_type(), opset_of(node.domain()), node.domain());
  if (schema == nullptr || !schema->has_type_and_shape_inference_function())
    return; // an op of another domain: the importer reports it if it becomes a layer
  std::unordered_map<std::string, onnx::TypeProto*> types;
  std::unordered_map<std::string, const onnx::TensorProto*> data;
  for (const auto& input : node.input()) {
    if (auto it = types_.find(input); it != types_.end())
      types[input] = &it->second;
    if (auto it = data_.find(input); it != data_.end())
      data[input] = it->second;
  }
  onnx::shape_inference::InferenceContextImpl context(node, types, data, {});
  try {
    schema->GetTypeAndShapeInferenceFunction()(context);
  } catch (const std::exception& e) {
    throw InputError(fmt::format("{}: {}: ONNX shape inference failed: {}", path_, node_label(node), e.what()));
  }
  for (int i = 0; i < node.output_size(); ++i) {
    const auto* type = context.getOutputType(static_cast<size_t>(i));
    if (!node.output(i).empty() && type != nullptr && type->value_case() != onnx::TypeProto::VALUE_NOT_SET)
      types_[node.output(i)] = *type;
  }
  if (node.op_type() == "Einsum")
    infer_einsum(node);
}

// ONNX 1.12 gives an Einsum's output no shape when its equation has spaces, as PyTorch writes them (MaxViT).
void Propagator::infer_einsum(const onnx::NodeProto& node)
{
  std::vector<Shape> inputs;
  for (const auto& input : node.input()) {
    const auto type = types_.find(input);
    const auto dims = type == types_.end() ? std::nullopt : known_shape(type->second);
    if (!dims)
      return;
    inputs.push_back(*dims);
  }
  for (const auto& attribute : node.attribute())
    if (attribute.name() == "equation" && node.output_size() == 1 && !inputs.empty())
      try {
        const int32_t elem_type = types_.at(node.input(0)).tensor_type().elem_type();
        types_[node.output(0)]  = tensor_type(elem_type, parse_einsum(attribute.s(), inputs).output_shape());
      } catch (const std::invalid_argument& e) {
        throw InputError(fmt::format("{}: {}: {}", path_, node_label(node), e.what()));
      }
}

// The value of a constant; an initializer's is read (into doubles or int64) only when `convert`: when every input
// of a node is constant, so that weights multiplied by activations stay in the file's bytes alone.
const Value* Propagator::value(const std::string& name, bool convert)
{
  if (const auto it = values_.find(name); it != values_.end())
    return &it->second;
  const auto data = data_.find(name);
  if (!convert || data == data_.end())
    return nullptr;
  auto read = value_of(*data->second);
  return read ? &values_.emplace(name, std::move(*read)).first->second : nullptr;
}

void Propagator::fold(const onnx::NodeProto& node)
{
  const bool all_constant = std::all_of(node.input().begin(), node.input().end(), [this](const std::string& input) {
    return input.empty() || constants_.count(input) > 0;
  });
  std::vector<FoldingInput> inputs;
  std::vector<std::optional<Shape>> shapes;
  shapes.reserve(static_cast<size_t>(node.input_size())); // FoldingInput points into it
  for (const auto& input : node.input()) {
    const auto type = types_.find(input);
    shapes.push_back(type == types_.end() ? std::nullopt : known_shape(type->second));
    inputs.push_back({value(input, all_constant), shapes.back() ? &*shapes.back() : nullptr});
  }
  try {
    if (auto outputs = fold_node(node, inputs, opset_of(node.domain())))
      record_folded(node, std::move(*outputs));
  } catch (const std::logic_error& e) { // invalid_argument from the rules, out_of_range from an axis past the rank
    throw InputError(fmt::format("{}: {}: {}", path_, node_label(node), e.what()));
  }
}

// A folded output depends on the input's shape when the op reads a shape or an input does; it then leaves the graph,
// and remembers the weights it carries. Other folded outputs are constants the importer folds as it always did.
void Propagator::record_folded(const onnx::NodeProto& node, std::vector<Value> outputs)
{
  const bool reads_shape = node.op_type() == "Shape" || node.op_type() == "Size";
  std::set<std::string> sources;
  bool derived = reads_shape;
  for (const auto& input : node.input()) {
    if (const auto it = derived_.find(input); it != derived_.end()) {
      derived = true;
      sources.insert(it->second.begin(), it->second.end());
    } else if (constants_.count(input)) {
      const auto& type = types_.at(input).tensor_type();
      if (const auto dims = known_shape(types_.at(input)); dims && is_weight(type.elem_type(), *dims))
        sources.insert(input);
    }
  }
  for (size_t i = 0; i < outputs.size() && i < static_cast<size_t>(node.output_size()); ++i) {
    const std::string& name = node.output(static_cast<int>(i));
    types_[name]            = tensor_type(outputs[i].type, outputs[i].dims);
    auto& proto = folded_[name] = to_proto(outputs[i], name);
    data_[name]                 = &proto;
    values_[name]               = std::move(outputs[i]);
    constants_.insert(name);
    if (derived)
      derived_[name] = std::vector<std::string>(sources.begin(), sources.end());
  }
}

WeightSources Propagator::write_back()
{
  std::unordered_set<std::string> graph_outputs;
  for (auto& output : *graph_.mutable_output()) {
    graph_outputs.insert(output.name());
    if (const auto it = types_.find(output.name()); it != types_.end() && known_shape(it->second))
      *output.mutable_type() = it->second;
  }
  graph_.clear_value_info();
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (auto& node : *graph_.mutable_node()) {
    const bool removed =
        node.output_size() > 0 && std::all_of(node.output().begin(), node.output().end(),
                                              [this](const std::string& output) { return derived_.count(output) > 0; });
    for (const auto& output : node.output()) {
      if (removed)
        *graph_.add_initializer() = std::move(folded_.at(output));
      else if (const auto it = types_.find(output); it != types_.end() && !graph_outputs.count(output)) {
        auto* info = graph_.add_value_info();
        info->set_name(output);
        *info->mutable_type() = it->second;
      }
    }
    if (!removed)
      *kept.Add() = std::move(node);
  }
  graph_.mutable_node()->Swap(&kept);
  return std::move(derived_);
}

} // namespace

WeightSources propagate_shapes(onnx::ModelProto& model, const std::string& path)
{
  Propagator propagator(model, path);
  propagator.run();
  return propagator.write_back();
}

} // namespace pipesplit::models::onnx_import
