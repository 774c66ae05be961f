// Activations, sums, concatenation, softmax and shape-only copies, on oneDNN primitives.

#include "exec/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pipesplit::exec {

using dnnl::memory;

namespace {

struct EltwiseChoice {
  dnnl::algorithm algorithm;
  float alpha, beta;
};

EltwiseChoice eltwise_choice(const Layer& layer)
{
  const std::string& op = layer.op;
  const auto alpha      = static_cast<float>(layer.attributes.alpha);
  if (op == "relu" || op == "leaky_relu")
    return {dnnl::algorithm::eltwise_relu, alpha, 0}; // alpha: the slope below zero
  if (op == "relu6")
    return {dnnl::algorithm::eltwise_clip, 0, 6};
  if (op == "sigmoid")
    return {dnnl::algorithm::eltwise_logistic, 0, 0};
  if (op == "tanh")
    return {dnnl::algorithm::eltwise_tanh, 0, 0};
  if (op == "gelu")
    return {dnnl::algorithm::eltwise_gelu_erf, 0, 0}; // PyTorch's default GELU
  if (op == "hswish")
    return {dnnl::algorithm::eltwise_hardswish, 0, 0};
  refuse(layer, "not an activation oneDNN knows");
}

void require_one_input(const KernelContext& c)
{
  if (c.input_shapes.size() != 1)
    refuse(c.layer, fmt::format("needs one input, has {}", c.input_shapes.size()));
  if (element_count(c.input_shapes[0]) != element_count(c.layer.output_shape))
    refuse(c.layer, "its output does not have as many elements as its input");
}

// Plain copy: flatten and reshapes change the shape, not the row-major order.
class CopyKernel : public LayerKernel {
public:
  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    std::copy(inputs[0]->data.begin(), inputs[0]->data.end(), output.data.begin());
  }
};

} // namespace

std::unique_ptr<LayerKernel> make_eltwise(const KernelContext& c)
{
  require_one_input(c);
  const EltwiseChoice choice = eltwise_choice(c.layer);
  const memory::desc data    = activation_desc(c.input_shapes[0]);
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, choice.algorithm, data, choice.alpha,
                                         choice.beta);
  return primitive_kernel(dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(desc, c.engine)),
                          {{DNNL_ARG_SRC, data}}, data, {}, c.engine);
}

std::unique_ptr<LayerKernel> make_sum(const KernelContext& c)
{
  if (c.input_shapes.size() < 2)
    refuse(c.layer, "needs two inputs or more");
  for (const auto& shape : c.input_shapes)
    if (shape != c.layer.output_shape)
      refuse(c.layer, fmt::format("input shape {} differs from the output's {}", shape_to_string(shape),
                                  shape_to_string(c.layer.output_shape)));
  const memory::desc data = activation_desc(c.layer.output_shape);
  const std::vector<float> scales(c.input_shapes.size(), 1.0f);
  const std::vector<memory::desc> sources(c.input_shapes.size(), data);
  PrimitiveKernel::Sources arguments;
  for (size_t i = 0; i < sources.size(); ++i)
    arguments.emplace_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), data);
  return primitive_kernel(dnnl::sum(dnnl::sum::primitive_desc(data, scales, sources, c.engine)), std::move(arguments),
                          data, {}, c.engine);
}

std::unique_ptr<LayerKernel> make_concat(const KernelContext& c)
{
  const int64_t axis = c.layer.attributes.axis;
  if (c.input_shapes.empty() || axis >= static_cast<int64_t>(c.layer.output_shape.size()))
    refuse(c.layer, fmt::format("needs inputs and an axis below the rank (axis {})", axis));
  std::vector<memory::desc> sources;
  PrimitiveKernel::Sources arguments;
  for (size_t i = 0; i < c.input_shapes.size(); ++i) {
    sources.push_back(activation_desc(c.input_shapes[i]));
    arguments.emplace_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), sources.back());
  }
  const memory::desc dst = activation_desc(c.layer.output_shape);
  const dnnl::concat::primitive_desc pd(dst, static_cast<int>(axis) + 1, sources, c.engine);
  return primitive_kernel(dnnl::concat(pd), std::move(arguments), dst, {}, c.engine);
}

std::unique_ptr<LayerKernel> make_copy(const KernelContext& c)
{
  require_one_input(c);
  return std::make_unique<CopyKernel>();
}

std::unique_ptr<LayerKernel> make_softmax(const KernelContext& c)
{
  require_one_input(c);
  const int64_t axis = c.layer.attributes.axis;
  if (axis >= static_cast<int64_t>(c.input_shapes[0].size()))
    refuse(c.layer, fmt::format("axis {} beyond the input's rank", axis));
  const memory::desc data = activation_desc(c.input_shapes[0]);
  const dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, data, static_cast<int>(axis) + 1);
  return primitive_kernel(dnnl::softmax_forward(dnnl::softmax_forward::primitive_desc(desc, c.engine)),
                          {{DNNL_ARG_SRC, data}}, data, {}, c.engine);
}

} // namespace pipesplit::exec
