#include "models/onnx/onnx_inference.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "models/onnx/onnx_tensors.hpp"

#include <fmt/format.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

namespace pipesplit::models::onnx_import {

// The graph input that is not an initializer: models of IR version < 4 list their weights as inputs too.
static onnx::ValueInfoProto& model_input(onnx::GraphProto& graph, const std::string& path)
{
  std::set<std::string> initializers;
  for (const auto& initializer : graph.initializer())
    initializers.insert(initializer.name());
  std::vector<onnx::ValueInfoProto*> inputs;
  for (auto& input : *graph.mutable_input())
    if (!initializers.count(input.name()))
      inputs.push_back(&input);
  if (inputs.size() != 1)
    throw InputError(path, "graph.input",
                     fmt::format("pipesplit models take one input tensor, this graph has {}", inputs.size()));
  return *inputs.front();
}

// Batch 1 (shapes in a Model omit it): a symbolic or missing batch dimension becomes 1 before inference, so that
// every shape comes out static.
static void set_batch_to_one(onnx::ValueInfoProto& input, const std::string& path)
{
  const std::string field = "input " + input.name();
  if (!input.type().has_tensor_type() || input.type().tensor_type().shape().dim_size() == 0)
    throw InputError(path, field, "needs a tensor shape with a batch dimension");
  auto* batch = input.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0);
  if (batch->has_dim_value() && batch->dim_value() != 1)
    throw InputError(path, field,
                     fmt::format("the batch dimension is {}: pipesplit models one inference at a time, export the "
                                 "model with batch 1 or a symbolic batch",
                                 batch->dim_value()));
  batch->set_dim_value(1);
}

// Values of int64 tensors that ONNX's data propagation computed, as dimensions, by tensor name.
using PropagatedValues = std::unordered_map<std::string, onnx::TensorShapeProto>;

// The initializer a propagated value stands for, if both the value and the tensor's shape are fully known.
static std::optional<onnx::TensorProto> known_value(const std::string& name, const PropagatedValues& values,
                                                    const TensorTable& tensors)
{
  const auto value       = values.find(name);
  const TensorInfo* info = tensors.find(name);
  if (value == values.end() || info == nullptr || info->elem_type != onnx::TensorProto_DataType_INT64 || !info->dims ||
      std::count(info->dims->begin(), info->dims->end(), unknown_dim) > 0 ||
      element_count(*info->dims) != value->second.dim_size())
    return std::nullopt;
  onnx::TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(onnx::TensorProto_DataType_INT64);
  for (auto dim : *info->dims)
    tensor.add_dims(dim);
  for (const auto& element : value->second.dim()) {
    if (!element.has_dim_value())
      return std::nullopt;
    tensor.add_int64_data(element.dim_value());
  }
  return tensor;
}

// Replaces every node whose outputs all have propagated values by initializers holding them; false if none has.
static bool materialise_values(onnx::GraphProto& graph, const PropagatedValues& values)
{
  const TensorTable tensors(graph);
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  bool changed = false;
  for (auto& node : *graph.mutable_node()) {
    std::vector<onnx::TensorProto> outputs;
    for (const auto& output : node.output())
      if (auto tensor = known_value(output, values, tensors))
        outputs.push_back(std::move(*tensor));
    if (outputs.empty() || outputs.size() != static_cast<size_t>(node.output_size())) {
      *kept.Add() = std::move(node);
      continue;
    }
    for (auto& tensor : outputs)
      *graph.add_initializer() = std::move(tensor);
    changed = true;
  }
  graph.mutable_node()->Swap(&kept);
  return changed;
}

// Data propagation computes shape arithmetic (Shape -> Gather -> Unsqueeze -> Concat), but in ONNX 1.12 Reshape and
// its kind read their target shape from initializers only: such computed values become initializers and inference
// runs again, until no more appear (a Reshape's output, once known, may feed the next chain).
static void infer_shapes(onnx::ModelProto& model, const std::string& path)
{
  const onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0, /*data_propagation=*/true);
  PropagatedValues values;
  do {
    values.clear();
    try {
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options, &values);
    } catch (const std::exception& e) {
      throw InputError(path, "", fmt::format("ONNX shape inference failed: {}", e.what()));
    }
  } while (materialise_values(*model.mutable_graph(), values));
}

std::string infer_shapes_at_batch_one(onnx::ModelProto& model, const std::string& path)
{
  auto& input = model_input(*model.mutable_graph(), path);
  set_batch_to_one(input, path);
  const std::string name = input.name(); // inference may reallocate the graph's inputs
  infer_shapes(model, path);
  return name;
}

} // namespace pipesplit::models::onnx_import
