#include "models/onnx/onnx_inference.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "models/onnx/onnx_tensors.hpp"

#include <fmt/format.h>

#include <set>
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

// The shape given for the input replaces the declared one, whose fixed dimensions it must keep.
static void set_shape(onnx::ValueInfoProto& input, const Shape& shape, const std::string& path)
{
  const std::string field = "input " + input.name();
  auto* declared          = input.mutable_type()->mutable_tensor_type()->mutable_shape();
  if (declared->dim_size() != static_cast<int>(shape.size()))
    throw InputError(path, field,
                     fmt::format("has {} dimensions, the shape given has {}", declared->dim_size(), shape.size()));
  for (int i = 0; i < declared->dim_size(); ++i) {
    auto* dim = declared->mutable_dim(i);
    if (shape[i] <= 0 || (dim->has_dim_value() && dim->dim_value() != shape[i]))
      throw InputError(path, field,
                       fmt::format("dimension {} is {}, the shape given has {}", i,
                                   dim->has_dim_value() ? std::to_string(dim->dim_value()) : dim->dim_param(),
                                   shape[i]));
    dim->set_dim_value(shape[i]);
  }
}

InferredGraph infer_shapes_at_batch_one(onnx::ModelProto& model, const std::string& path, const InputShapes& given)
{
  auto& input = model_input(*model.mutable_graph(), path);
  for (const auto& [name, shape] : given)
    if (name != input.name())
      throw InputError("command line", "--input",
                       fmt::format("the model's input is '{}', not '{}'", input.name(), name));
  set_batch_to_one(input, path);
  if (const auto it = given.find(input.name()); it != given.end())
    set_shape(input, it->second, path);
  const std::string name = input.name();
  return {name, propagate_shapes(model, path)};
}

} // namespace pipesplit::models::onnx_import
