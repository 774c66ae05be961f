// Convolution, pooling, batch normalisation, fully connected layers and space-to-depth, on oneDNN primitives.

#include "exec/kernel.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

namespace pipesplit::exec {

using dnnl::memory;
using tag = memory::format_tag;

namespace {

void require_image(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].size() != 3 || c.layer.output_shape.size() != 3)
    refuse(c.layer, "needs one [C, H, W] input and a [C, H, W] output");
  const auto& a = c.layer.attributes;
  if (a.kernel.size() != 2 || a.strides.size() != 2 || a.pads.size() != 4)
    refuse(c.layer, "needs kernel, strides and pads attributes");
}

memory::dims begin_pads(const OpAttributes& a)
{
  return {a.pads[0], a.pads[1]};
}

memory::dims end_pads(const OpAttributes& a)
{
  return {a.pads[2], a.pads[3]};
}

// PyTorch's AdaptiveAvgPool2d where the bins overlap (an output larger than the input or not dividing it): output
// cell (i, j) averages rows floor(i H / h) .. ceil((i + 1) H / h) - 1 and the same for columns. oneDNN has no pooling
// with windows of varying size, and this runs once per model on a few thousand elements, so it is a loop.
class AdaptiveAvgPoolKernel : public LayerKernel {
public:
  AdaptiveAvgPoolKernel(Shape in, Shape out) : in_(std::move(in)), out_(std::move(out)) {}

  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const auto& x = inputs[0]->data;
    for (int64_t c = 0; c < out_[0]; ++c)
      for (int64_t i = 0; i < out_[1]; ++i)
        for (int64_t j = 0; j < out_[2]; ++j) {
          const int64_t r0 = i * in_[1] / out_[1], r1 = ((i + 1) * in_[1] + out_[1] - 1) / out_[1];
          const int64_t c0 = j * in_[2] / out_[2], c1 = ((j + 1) * in_[2] + out_[2] - 1) / out_[2];
          float sum = 0;
          for (int64_t r = r0; r < r1; ++r)
            for (int64_t k = c0; k < c1; ++k)
              sum += x[static_cast<size_t>((r * in_[2] + k) * in_[0] + c)]; // channels-last
          output.data[static_cast<size_t>((i * out_[2] + j) * out_[0] + c)] =
              sum / static_cast<float>((r1 - r0) * (c1 - c0));
        }
  }

private:
  Shape in_, out_;
};

std::unique_ptr<LayerKernel> make_adaptive_avg_pool(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].size() != 3 || c.layer.output_shape.size() != 3 ||
      c.input_shapes[0][0] != c.layer.output_shape[0])
    refuse(c.layer, "adaptive pooling needs one [C, H, W] input and a [C, h, w] output");
  return std::make_unique<AdaptiveAvgPoolKernel>(c.input_shapes[0], c.layer.output_shape);
}

} // namespace

std::unique_ptr<LayerKernel> make_conv(const KernelContext& c)
{
  require_image(c);
  const auto& a        = c.layer.attributes;
  const Shape& in      = c.input_shapes[0];
  const Shape& out     = c.layer.output_shape;
  const int64_t groups = a.groups;
  if (in[0] % groups != 0 || out[0] % groups != 0)
    refuse(c.layer, fmt::format("groups {} do not divide the channels", groups));
  const memory::dims dilations = a.dilations.size() == 2 ? memory::dims{a.dilations[0] - 1, a.dilations[1] - 1}
                                                         : memory::dims{0, 0}; // oneDNN counts the gaps
  const memory::dims weight_dims =
      groups == 1 ? memory::dims{out[0], in[0], a.kernel[0], a.kernel[1]}
                  : memory::dims{groups, out[0] / groups, in[0] / groups, a.kernel[0], a.kernel[1]};
  const memory::desc src  = activation_desc(in);
  const memory::desc dst  = activation_desc(out);
  const memory::desc bias = a.bias ? plain_desc({out[0]}) : memory::desc();
  const memory::desc any_weights(weight_dims, memory::data_type::f32, tag::any);
  const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                             src, any_weights, bias, dst, {a.strides[0], a.strides[1]}, dilations,
                                             begin_pads(a), end_pads(a));
  const dnnl::convolution_forward::primitive_desc pd(desc, c.engine);
  // He-uniform: keeps the activations' scale from layer to layer.
  const double fan_in = static_cast<double>(in[0] / groups * a.kernel[0] * a.kernel[1]);
  const auto bound    = static_cast<float>(std::sqrt(6.0 / fan_in));
  std::unordered_map<int, memory> weights;
  weights[DNNL_ARG_WEIGHTS] = random_weights(c, "weights", plain_desc(weight_dims), pd.weights_desc(), -bound, bound);
  if (a.bias)
    weights[DNNL_ARG_BIAS] = random_weights(c, "bias", bias, bias, -0.1f, 0.1f);
  return primitive_kernel(dnnl::convolution_forward(pd), {{DNNL_ARG_SRC, src}}, dst, std::move(weights), c.engine);
}

std::unique_ptr<LayerKernel> make_pool(const KernelContext& c)
{
  if (c.layer.op == "avgpool" && c.layer.attributes.kernel.empty())
    return make_adaptive_avg_pool(c);
  require_image(c);
  const auto& a          = c.layer.attributes;
  const auto algorithm   = c.layer.op == "maxpool" ? dnnl::algorithm::pooling_max
                                                   : (a.count_include_pad ? dnnl::algorithm::pooling_avg_include_padding
                                                                          : dnnl::algorithm::pooling_avg);
  const memory::desc src = activation_desc(c.input_shapes[0]);
  const memory::desc dst = activation_desc(c.layer.output_shape);
  const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm, src, dst,
                                         {a.strides[0], a.strides[1]}, {a.kernel[0], a.kernel[1]}, begin_pads(a),
                                         end_pads(a));
  const dnnl::pooling_forward::primitive_desc pd(desc, c.engine);
  return primitive_kernel(dnnl::pooling_forward(pd), {{DNNL_ARG_SRC, src}}, dst, {}, c.engine);
}

std::unique_ptr<LayerKernel> make_batch_norm(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].empty())
    refuse(c.layer, "needs one input");
  const memory::desc data        = activation_desc(c.input_shapes[0]);
  const memory::desc per_channel = plain_desc({c.input_shapes[0][0]});
  const auto flags               = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
                     dnnl::normalization_flags::use_shift;
  const dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, data,
                                                     static_cast<float>(c.layer.attributes.epsilon), flags);
  const dnnl::batch_normalization_forward::primitive_desc pd(desc, c.engine);
  std::unordered_map<int, memory> weights;
  weights[DNNL_ARG_MEAN]     = random_weights(c, "mean", per_channel, per_channel, -0.1f, 0.1f);
  weights[DNNL_ARG_VARIANCE] = random_weights(c, "variance", per_channel, per_channel, 0.5f, 1.5f);
  weights[DNNL_ARG_SCALE]    = random_weights(c, "scale", per_channel, per_channel, 0.5f, 1.5f);
  weights[DNNL_ARG_SHIFT]    = random_weights(c, "shift", per_channel, per_channel, -0.1f, 0.1f);
  return primitive_kernel(dnnl::batch_normalization_forward(pd), {{DNNL_ARG_SRC, data}}, data, std::move(weights),
                          c.engine);
}

// Local response normalisation across channels (ONNX's LRN, AlexNet's): oneDNN's window over `size` channels centred
// on each one, b = a / (k + alpha / size x sum a^2)^beta.
std::unique_ptr<LayerKernel> make_lrn(const KernelContext& c)
{
  const auto& a = c.layer.attributes;
  if (c.input_shapes.size() != 1 || c.input_shapes[0].size() != 3 || c.input_shapes[0] != c.layer.output_shape)
    refuse(c.layer, "needs one [C, H, W] input of the output's shape");
  if (a.size < 1 || !(a.k > 0))
    refuse(c.layer, "needs size >= 1 and k > 0 attributes");
  if (a.size % 2 == 0) // ONNX's window is c - (size - 2) / 2 .. c + size / 2, oneDNN's one channel shorter
    refuse(c.layer, fmt::format("oneDNN's window equals ONNX's for an odd size only, size is {}", a.size));
  const memory::desc data = activation_desc(c.input_shapes[0]);
  const dnnl::lrn_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::lrn_across_channels, data,
                                     a.size, static_cast<float>(a.alpha), static_cast<float>(a.beta),
                                     static_cast<float>(a.k));
  return primitive_kernel(dnnl::lrn_forward(dnnl::lrn_forward::primitive_desc(desc, c.engine)), {{DNNL_ARG_SRC, data}},
                          data, {}, c.engine);
}

// fc: every input element to every output (each row of a [T, D] input to a row of a [T, O] output: ONNX's Gemm on
// tokens); matmul (a linear layer): each row of a [T, D] or [A, B, D] input (a [D] input is one row) to a row of the
// output; a matmul of two activations is make_activation_product. Both are oneDNN inner products, rows as the batch.
std::unique_ptr<LayerKernel> make_fully_connected(const KernelContext& c)
{
  if (c.layer.op == "matmul" && c.input_shapes.size() == 2)
    return make_activation_product(c);
  if (c.input_shapes.size() != 1 || c.input_shapes[0].empty() || c.layer.output_shape.empty())
    refuse(c.layer, "needs one input (a constant weight matrix is drawn at random)");
  const Shape& in        = c.input_shapes[0];
  const Shape& out       = c.layer.output_shape;
  const bool gemm_rows   = c.layer.op == "fc" && in.size() == 2 && out.size() == 2 && out[0] == in[0]; // Gemm on [T, D]
  const bool rows        = (c.layer.op == "matmul" && (in.size() == 2 || in.size() == 3)) || gemm_rows;
  const int64_t features = rows ? in.back() : element_count(in);
  const int64_t batch    = rows ? element_count(in) / features : 1;
  const int64_t outputs  = c.layer.output_shape.back();
  if (batch * outputs != element_count(c.layer.output_shape))
    refuse(c.layer, "the output is not one row of features per input row");
  const memory::desc src  = plain_desc({batch, features});
  const memory::desc dst  = plain_desc({batch, outputs});
  const memory::desc bias = c.layer.attributes.bias ? plain_desc({outputs}) : memory::desc();
  const memory::desc any_weights({outputs, features}, memory::data_type::f32, tag::any);
  const dnnl::inner_product_forward::desc desc(dnnl::prop_kind::forward_inference, src, any_weights, bias, dst);
  const dnnl::inner_product_forward::primitive_desc pd(desc, c.engine);
  const auto bound = static_cast<float>(std::sqrt(6.0 / static_cast<double>(features)));
  std::unordered_map<int, memory> weights;
  weights[DNNL_ARG_WEIGHTS] =
      random_weights(c, "weights", plain_desc({outputs, features}), pd.weights_desc(), -bound, bound);
  if (c.layer.attributes.bias)
    weights[DNNL_ARG_BIAS] = random_weights(c, "bias", bias, bias, -0.1f, 0.1f);
  auto kernel =
      primitive_kernel(dnnl::inner_product_forward(pd), {{DNNL_ARG_SRC, src}}, dst, std::move(weights), c.engine);
  return rows && in.size() == 3 ? row_major(std::move(kernel), c) : std::move(kernel);
}

// Space-to-depth (ONNX's SpaceToDepth, the DCR order): out[(dy s + dx) C + c, y, x] = in[c, y s + dy, x s + dx]. A
// reorder between two views of the same five axes (c, y, dy, x, dx) of channels-last tensors.
std::unique_ptr<LayerKernel> make_space_to_depth(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].size() != 3 || c.layer.attributes.strides.size() != 2 ||
      c.layer.attributes.strides[0] != c.layer.attributes.strides[1])
    refuse(c.layer, "needs one [C, H, W] input and equal strides");
  const Shape& in        = c.input_shapes[0];
  const int64_t s        = c.layer.attributes.strides[0];
  const int64_t channels = in[0], y = in[1] / s, x = in[2] / s, out_channels = channels * s * s;
  if (in[1] % s != 0 || in[2] % s != 0 || c.layer.output_shape != Shape{out_channels, y, x})
    refuse(c.layer, "the stride must divide the input and give the output shape");
  const memory::dims dims{channels, y, s, x, s};
  const memory::desc src(dims, memory::data_type::f32,
                         memory::dims{1, s * in[2] * channels, in[2] * channels, s * channels, channels});
  const memory::desc dst(dims, memory::data_type::f32,
                         memory::dims{1, x * out_channels, s * channels, out_channels, channels});
  const dnnl::reorder::primitive_desc pd(c.engine, src, c.engine, dst);
  return primitive_kernel(dnnl::reorder(pd), {{DNNL_ARG_SRC, src}}, dst, {}, c.engine);
}

} // namespace pipesplit::exec
