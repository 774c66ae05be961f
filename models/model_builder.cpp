#include "models/model_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace pipesplit::models {

ConvSpec conv_spec(int64_t out_channels, int64_t kernel, int64_t stride, int64_t pad, int64_t groups, bool bias)
{
  const int64_t padding = pad < 0 ? kernel / 2 : pad;
  return ConvSpec{out_channels, kernel, kernel, stride, stride, padding, padding, groups, bias};
}

// Output extent of a sliding window, as PyTorch computes it.
static int64_t window_extent(int64_t in, int64_t kernel, int64_t stride, int64_t pad, bool ceil_mode)
{
  const int64_t span = in + 2 * pad - kernel;
  if (span < 0)
    throw std::invalid_argument(fmt::format("window {} larger than padded input {}", kernel, in + 2 * pad));
  int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) // the last window must start inside the input or left padding
    --out;
  return out;
}

// The attributes of a sliding window whose bottom and right padding make up the output extent (a ceil mode, Darknet's
// same-size pooling).
static OpAttributes window_attributes(const Shape& in, const Shape& out, int64_t kernel_h, int64_t kernel_w,
                                      int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w)
{
  OpAttributes a;
  a.present   = true;
  a.kernel    = {kernel_h, kernel_w};
  a.strides   = {stride_h, stride_w};
  a.dilations = {1, 1};
  // The end padding that makes the output extent: the rest of a floor-mode window that does not fit is dropped.
  a.pads = {pad_h, pad_w, std::max<int64_t>(0, (out[1] - 1) * stride_h + kernel_h - in[1] - pad_h),
            std::max<int64_t>(0, (out[2] - 1) * stride_w + kernel_w - in[2] - pad_w)};
  return a;
}

static OpAttributes plain_attributes()
{
  OpAttributes a;
  a.present = true;
  return a;
}

ModelBuilder::ModelBuilder(std::string model_name, Shape input_shape, double dtype_bytes)
{
  model_.name        = std::move(model_name);
  model_.source      = "zoo:" + model_.name;
  model_.input_shape = std::move(input_shape);
  model_.dtype_bytes = dtype_bytes;
  model_.input_bytes = static_cast<double>(element_count(model_.input_shape)) * dtype_bytes;
  last_              = model_.input_name;
}

const Layer& ModelBuilder::layer(const std::string& name) const
{
  for (const auto& l : model_.layers)
    if (l.name == name)
      return l;
  throw std::invalid_argument(fmt::format("{}: no layer named '{}'", model_.name, name));
}

const Shape& ModelBuilder::shape(const std::string& name) const
{
  return name == model_.input_name ? model_.input_shape : layer(name).output_shape;
}

std::string ModelBuilder::resolve(const std::string& from) const
{
  return from.empty() ? last_ : from;
}

std::string ModelBuilder::push(Layer l)
{
  for (const auto& existing : model_.layers)
    if (existing.name == l.name)
      throw std::invalid_argument(fmt::format("{}: duplicate layer name '{}'", model_.name, l.name));
  l.output_bytes = static_cast<double>(element_count(l.output_shape)) * model_.dtype_bytes;
  l.param_bytes  = l.param_bytes > 0 ? l.param_bytes : l.params * model_.dtype_bytes;
  last_          = l.name;
  model_.layers.push_back(std::move(l));
  return last_;
}

std::string ModelBuilder::conv(const std::string& name, const ConvSpec& spec, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3)
    throw std::invalid_argument(fmt::format("{}: conv {} needs a [C, H, W] input", model_.name, name));
  const int64_t in_channels = in[0];
  if (in_channels % spec.groups != 0 || spec.out_channels % spec.groups != 0)
    throw std::invalid_argument(
        fmt::format("{}: conv {}: groups {} do not divide channels", model_.name, name, spec.groups));
  const int64_t h         = window_extent(in[1], spec.kernel_h, spec.stride_h, spec.pad_h, false);
  const int64_t w         = window_extent(in[2], spec.kernel_w, spec.stride_w, spec.pad_w, false);
  const double per_output = static_cast<double>(in_channels / spec.groups * spec.kernel_h * spec.kernel_w);
  const double outputs    = static_cast<double>(spec.out_channels * h * w);
  Layer l;
  l.name         = name;
  l.op           = "conv";
  l.inputs       = {input};
  l.output_shape = {spec.out_channels, h, w};
  l.macs         = outputs * per_output;
  l.flop         = 2 * l.macs + (spec.bias ? outputs : 0);
  l.params       = static_cast<double>(spec.out_channels) * per_output + (spec.bias ? spec.out_channels : 0);
  l.attributes   = window_attributes(in, l.output_shape, spec.kernel_h, spec.kernel_w, spec.stride_h, spec.stride_w,
                                     spec.pad_h, spec.pad_w);
  l.attributes.groups = spec.groups;
  l.attributes.bias   = spec.bias;
  return push(std::move(l));
}

std::string ModelBuilder::batch_norm(const std::string& name, const std::string& from)
{
  const std::string input = resolve(from);
  Layer l;
  l.name              = name;
  l.op                = "bn";
  l.inputs            = {input};
  l.output_shape      = shape(input);
  const auto channels = static_cast<double>(l.output_shape.front());
  l.flop              = 2.0 * static_cast<double>(element_count(l.output_shape)); // scale and shift (folded statistics)
  l.params            = 2 * channels;                                             // trainable gamma and beta
  l.param_bytes       = 4 * channels * model_.dtype_bytes;                        // plus running mean and variance
  l.attributes        = plain_attributes();
  return push(std::move(l));
}

std::string ModelBuilder::activation(const std::string& name, const std::string& kind, const std::string& from)
{
  const std::string input = resolve(from);
  Layer l;
  l.name         = name;
  l.op           = kind;
  l.inputs       = {input};
  l.output_shape = shape(input);
  // One FLOP per element for piecewise-linear functions; transcendental ones cost a few.
  const bool cheap = kind == "relu" || kind == "relu6" || kind == "leaky_relu";
  l.flop           = (cheap ? 1.0 : 4.0) * static_cast<double>(element_count(l.output_shape));
  l.attributes     = plain_attributes();
  if (kind == "leaky_relu")
    l.attributes.alpha = 0.1; // Darknet's slope
  return push(std::move(l));
}

std::string ModelBuilder::pool(const std::string& name, const std::string& op, int64_t kernel, int64_t stride,
                               int64_t pad, bool ceil_mode, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3)
    throw std::invalid_argument(fmt::format("{}: {} {} needs a [C, H, W] input", model_.name, op, name));
  Layer l;
  l.name         = name;
  l.op           = op;
  l.inputs       = {input};
  l.output_shape = {in[0], window_extent(in[1], kernel, stride, pad, ceil_mode),
                    window_extent(in[2], kernel, stride, pad, ceil_mode)};
  l.flop         = static_cast<double>(element_count(l.output_shape) * kernel * kernel);
  l.attributes   = window_attributes(in, l.output_shape, kernel, kernel, stride, stride, pad, pad);
  return push(std::move(l));
}

std::string ModelBuilder::max_pool(const std::string& name, int64_t kernel, int64_t stride, int64_t pad, bool ceil_mode,
                                   const std::string& from)
{
  return pool(name, "maxpool", kernel, stride, pad, ceil_mode, from);
}

std::string ModelBuilder::avg_pool(const std::string& name, int64_t kernel, int64_t stride, int64_t pad, bool ceil_mode,
                                   const std::string& from)
{
  return pool(name, "avgpool", kernel, stride, pad, ceil_mode, from);
}

std::string ModelBuilder::max_pool_same(const std::string& name, int64_t kernel, int64_t stride,
                                        const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3 || stride < 1)
    throw std::invalid_argument(fmt::format("{}: maxpool {} needs a [C, H, W] input and a stride", model_.name, name));
  Layer l;
  l.name         = name;
  l.op           = "maxpool";
  l.inputs       = {input};
  l.output_shape = {in[0], (in[1] + stride - 1) / stride, (in[2] + stride - 1) / stride};
  l.flop         = static_cast<double>(element_count(l.output_shape) * kernel * kernel);
  l.attributes   = window_attributes(in, l.output_shape, kernel, kernel, stride, stride, 0, 0);
  return push(std::move(l));
}

std::string ModelBuilder::global_avg_pool(const std::string& name, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  Layer l;
  l.name         = name;
  l.op           = "avgpool";
  l.inputs       = {input};
  l.output_shape = {in.front(), 1, 1};
  l.flop         = static_cast<double>(element_count(in));
  if (in.size() == 3)
    l.attributes = window_attributes(in, l.output_shape, in[1], in[2], in[1], in[2], 0, 0);
  return push(std::move(l));
}

std::string ModelBuilder::adaptive_avg_pool(const std::string& name, int64_t out_h, int64_t out_w,
                                            const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3 || out_h < 1 || out_w < 1)
    throw std::invalid_argument(
        fmt::format("{}: adaptive avgpool {} needs a [C, H, W] input and a positive output size", model_.name, name));
  // Sum of the bins' extents along one axis: every input element read, overlaps counted twice.
  auto reads = [](int64_t in_size, int64_t out_size) {
    int64_t total = 0;
    for (int64_t i = 0; i < out_size; ++i)
      total += (i + 1) * in_size / out_size + ((i + 1) * in_size % out_size != 0) - i * in_size / out_size;
    return total;
  };
  Layer l;
  l.name         = name;
  l.op           = "avgpool";
  l.inputs       = {input};
  l.output_shape = {in[0], out_h, out_w};
  l.flop         = static_cast<double>(in[0] * reads(in[1], out_h) * reads(in[2], out_w));
  // A plain window when the output divides the input; otherwise no kernel: the bins follow from the shapes.
  if (in[1] % out_h == 0 && in[2] % out_w == 0)
    l.attributes =
        window_attributes(in, l.output_shape, in[1] / out_h, in[2] / out_w, in[1] / out_h, in[2] / out_w, 0, 0);
  else
    l.attributes = plain_attributes();
  return push(std::move(l));
}

std::string ModelBuilder::fc(const std::string& name, int64_t out_features, bool bias, const std::string& from)
{
  const std::string input = resolve(from);
  const auto in_features  = static_cast<double>(element_count(shape(input)));
  Layer l;
  l.name            = name;
  l.op              = "fc";
  l.inputs          = {input};
  l.output_shape    = {out_features};
  l.macs            = in_features * static_cast<double>(out_features);
  l.flop            = 2 * l.macs + (bias ? static_cast<double>(out_features) : 0);
  l.params          = l.macs + (bias ? static_cast<double>(out_features) : 0);
  l.attributes      = plain_attributes();
  l.attributes.bias = bias;
  return push(std::move(l));
}

std::string ModelBuilder::add(const std::string& name, const std::vector<std::string>& inputs)
{
  if (inputs.size() < 2)
    throw std::invalid_argument(fmt::format("{}: add {} needs two inputs or more", model_.name, name));
  const Shape& first = shape(inputs.front());
  for (const auto& input : inputs)
    if (shape(input) != first)
      throw std::invalid_argument(fmt::format("{}: add {}: shape {} of {} differs from {}", model_.name, name,
                                              shape_to_string(shape(input)), input, shape_to_string(first)));
  Layer l;
  l.name         = name;
  l.op           = "add";
  l.inputs       = inputs;
  l.output_shape = first;
  l.flop         = static_cast<double>(element_count(first) * static_cast<int64_t>(inputs.size() - 1));
  l.attributes   = plain_attributes();
  return push(std::move(l));
}

std::string ModelBuilder::concat(const std::string& name, const std::vector<std::string>& inputs)
{
  if (inputs.empty())
    throw std::invalid_argument(fmt::format("{}: concat {} needs inputs", model_.name, name));
  Shape out = shape(inputs.front());
  out[0]    = 0;
  for (const auto& input : inputs) {
    const Shape& in = shape(input);
    if (in.size() != out.size() || !std::equal(in.begin() + 1, in.end(), out.begin() + 1))
      throw std::invalid_argument(
          fmt::format("{}: concat {}: {} has shape {}, incompatible", model_.name, name, input, shape_to_string(in)));
    out[0] += in[0];
  }
  Layer l;
  l.name         = name;
  l.op           = "concat";
  l.inputs       = inputs;
  l.output_shape = out;
  l.attributes   = plain_attributes(); // axis 0: channels
  return push(std::move(l));
}

std::string ModelBuilder::flatten(const std::string& name, const std::string& from)
{
  const std::string input = resolve(from);
  Layer l;
  l.name         = name;
  l.op           = "flatten";
  l.inputs       = {input};
  l.output_shape = {element_count(shape(input))};
  l.attributes   = plain_attributes();
  return push(std::move(l));
}

std::string ModelBuilder::reorg(const std::string& name, int64_t stride, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3 || stride < 1 || in[1] % stride != 0 || in[2] % stride != 0)
    throw std::invalid_argument(fmt::format("{}: reorg {}: stride {} does not divide the [C, H, W] input {}",
                                            model_.name, name, stride, shape_to_string(in)));
  Layer l;
  l.name               = name;
  l.op                 = "reorg";
  l.inputs             = {input};
  l.output_shape       = {in[0] * stride * stride, in[1] / stride, in[2] / stride};
  l.attributes         = plain_attributes();
  l.attributes.strides = {stride, stride};
  return push(std::move(l));
}

std::string ModelBuilder::linear(const std::string& name, int64_t out_features, bool bias, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  const auto rows         = static_cast<double>(in.size() == 2 ? in[0] : 1);
  const auto in_features  = static_cast<double>(in.back());
  Layer l;
  l.name                = name;
  l.op                  = "matmul";
  l.inputs              = {input};
  l.output_shape        = in;
  l.output_shape.back() = out_features;
  l.macs                = rows * in_features * static_cast<double>(out_features);
  l.flop                = 2 * l.macs + (bias ? rows * static_cast<double>(out_features) : 0);
  l.params          = in_features * static_cast<double>(out_features) + (bias ? static_cast<double>(out_features) : 0);
  l.attributes      = plain_attributes();
  l.attributes.bias = bias;
  return push(std::move(l));
}

std::string ModelBuilder::layer_norm(const std::string& name, const std::string& from)
{
  const std::string input = resolve(from);
  Layer l;
  l.name         = name;
  l.op           = "layernorm";
  l.inputs       = {input};
  l.output_shape = shape(input);
  l.flop         = 5.0 * static_cast<double>(element_count(l.output_shape)); // mean, variance, normalise, scale, shift
  l.params       = 2.0 * static_cast<double>(l.output_shape.back());
  l.attributes   = plain_attributes();
  return push(std::move(l));
}

std::string ModelBuilder::attention(const std::string& name, int64_t heads, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 2 || in[1] % (3 * heads) != 0)
    throw std::invalid_argument(fmt::format("{}: attention {} needs packed [T, 3D] q|k|v", model_.name, name));
  const auto tokens   = static_cast<double>(in[0]);
  const int64_t width = in[1] / 3;
  Layer l;
  l.name             = name;
  l.op               = "attention";
  l.inputs           = {input};
  l.output_shape     = {in[0], width};
  l.macs             = 2 * tokens * tokens * static_cast<double>(width);              // Q K^T and the weighted sum of V
  l.flop             = 2 * l.macs + 5 * static_cast<double>(heads) * tokens * tokens; // + scale and softmax
  l.attributes       = plain_attributes();
  l.attributes.heads = heads;
  return push(std::move(l));
}

std::string ModelBuilder::embedding(const std::string& name, int64_t vocabulary, int64_t width, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  Layer l;
  l.name            = name;
  l.op              = "embedding";
  l.inputs          = {input};
  l.output_shape    = {element_count(in), width};
  l.params          = static_cast<double>(vocabulary * width);
  l.attributes      = plain_attributes();
  l.attributes.rows = vocabulary;
  return push(std::move(l));
}

std::string ModelBuilder::add_embedding_table(const std::string& name, int64_t rows, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 2 || rows < 1)
    throw std::invalid_argument(
        fmt::format("{}: add_embedding_table {} needs a [T, D] input and rows", model_.name, name));
  Layer l;
  l.name            = name;
  l.op              = "embedding";
  l.inputs          = {input};
  l.output_shape    = in;
  l.params          = static_cast<double>(rows * in[1]);
  l.flop            = static_cast<double>(element_count(in)); // the add; the lookup is data movement
  l.attributes      = plain_attributes();
  l.attributes.rows = rows;
  return push(std::move(l));
}

std::string ModelBuilder::to_tokens(const std::string& name, int64_t extra_tokens, int64_t extra_params,
                                    const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 3)
    throw std::invalid_argument(fmt::format("{}: to_tokens {} needs a [C, H, W] input", model_.name, name));
  Layer l;
  l.name         = name;
  l.op           = "reshape";
  l.inputs       = {input};
  l.output_shape = {in[1] * in[2] + extra_tokens, in[0]};
  l.params       = static_cast<double>(extra_params);
  l.flop         = extra_params > 0 ? static_cast<double>(element_count(l.output_shape)) : 0; // positional add
  l.attributes   = plain_attributes();
  l.attributes.extra_tokens = extra_tokens;
  return push(std::move(l));
}

std::string ModelBuilder::select_token(const std::string& name, int64_t index, const std::string& from)
{
  const std::string input = resolve(from);
  const Shape& in         = shape(input);
  if (in.size() != 2 || index < 0 || index >= in[0])
    throw std::invalid_argument(fmt::format("{}: select_token {}: bad index {}", model_.name, name, index));
  Layer l;
  l.name             = name;
  l.op               = "slice";
  l.inputs           = {input};
  l.output_shape     = {in[1]};
  l.attributes       = plain_attributes();
  l.attributes.index = index;
  return push(std::move(l));
}

Model ModelBuilder::build() const
{
  model_.validate();
  return model_;
}

} // namespace pipesplit::models
