// Activations, sums, concatenation, softmax and shape-only copies, on oneDNN primitives.

#include "exec/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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
  if (op == "sqrt")
    return {dnnl::algorithm::eltwise_sqrt, 0, 0};
  if (op == "pow") // alpha x^beta; the exponent is the model's beta
    return {dnnl::algorithm::eltwise_pow, 1, static_cast<float>(layer.attributes.beta)};
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

// A reshape to or from a [C, H, W] image, whose elements lie channels-last while the reshape keeps the row-major
// (C, H, W) order: reorders through that order (two, with a buffer between them, from an image to another image).
class ImageReshapeKernel : public LayerKernel {
public:
  ImageReshapeKernel(const Shape& in, const Shape& out, dnnl::engine& engine) : engine_(engine)
  {
    if (in.size() == 3)
      steps_.push_back({activation_desc(in), plain_desc(with_batch(in))});
    if (out.size() == 3)
      steps_.push_back({plain_desc(with_batch(out)), activation_desc(out)});
    for (auto& step : steps_)
      step.primitive = dnnl::reorder(dnnl::reorder::primitive_desc(engine, step.from, engine, step.to));
    buffer_.resize(static_cast<size_t>(element_count(in)));
  }

  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const float* from = inputs[0]->data.data();
    for (size_t i = 0; i < steps_.size(); ++i) {
      float* to     = i + 1 == steps_.size() ? output.data.data() : buffer_.data();
      memory source = wrap(steps_[i].from, engine_, from), target = wrap(steps_[i].to, engine_, to);
      steps_[i].primitive.execute(stream, source, target);
      from = to;
    }
  }

private:
  struct Step {
    memory::desc from, to;
    dnnl::reorder primitive{};
  };
  std::vector<Step> steps_;
  std::vector<float> buffer_;
  dnnl::engine& engine_;
};

// The error function, element by element: oneDNN 2.6 has no erf eltwise (only GELU built on it), so a plain loop
// over std::erf; the order of the elements does not matter.
class ErfKernel : public LayerKernel {
public:
  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    std::transform(inputs[0]->data.begin(), inputs[0]->data.end(), output.data.begin(),
                   [](float x) { return std::erf(x); });
  }
};

} // namespace

std::unique_ptr<LayerKernel> make_erf(const KernelContext& c)
{
  require_one_input(c);
  if (c.input_shapes[0] != c.layer.output_shape)
    refuse(c.layer, "its output does not have its input's shape");
  return std::make_unique<ErfKernel>();
}

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

// oneDNN's concat; a constant operand (ViT's class token: operand_shape, at input position index) is drawn once and
// bound as that source.
std::unique_ptr<LayerKernel> make_concat(const KernelContext& c)
{
  const auto& a       = c.layer.attributes;
  const bool constant = !a.operand_shape.empty();
  std::vector<Shape> shapes(c.input_shapes);
  if (constant && a.index <= static_cast<int64_t>(shapes.size()))
    shapes.insert(shapes.begin() + a.index, a.operand_shape);
  if (shapes.empty() || a.axis >= static_cast<int64_t>(c.layer.output_shape.size()) ||
      (constant && shapes.size() == c.input_shapes.size()))
    refuse(c.layer, fmt::format("needs inputs, an axis below the rank (axis {}) and a constant's position among "
                                "them (index {})",
                                a.axis, a.index));
  std::vector<memory::desc> sources;
  PrimitiveKernel::Sources arguments;
  std::unordered_map<int, memory> weights;
  for (size_t i = 0; i < shapes.size(); ++i) {
    sources.push_back(activation_desc(shapes[i]));
    const int argument = DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i);
    if (constant && static_cast<int64_t>(i) == a.index)
      weights[argument] = random_weights(c, "constant", plain_desc(with_batch(shapes[i])), sources.back(), -1, 1);
    else
      arguments.emplace_back(argument, sources.back());
  }
  const memory::desc dst = activation_desc(c.layer.output_shape);
  const dnnl::concat::primitive_desc pd(dst, static_cast<int>(a.axis) + 1, sources, c.engine);
  return primitive_kernel(dnnl::concat(pd), std::move(arguments), dst, std::move(weights), c.engine);
}

std::unique_ptr<LayerKernel> make_copy(const KernelContext& c)
{
  require_one_input(c);
  const Shape& in  = c.input_shapes[0];
  const Shape& out = c.layer.output_shape;
  // Channels-last and row-major coincide when only the channel axis is longer than 1.
  const auto channels_only = [](const Shape& shape) { return shape.size() == 3 && shape[1] * shape[2] == 1; };
  if (in == out || ((in.size() != 3 || channels_only(in)) && (out.size() != 3 || channels_only(out))))
    return std::make_unique<CopyKernel>();
  return std::make_unique<ImageReshapeKernel>(in, out, c.engine);
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
