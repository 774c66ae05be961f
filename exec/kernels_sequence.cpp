// The sequence ops of transformers ([T, D] tensors): layer normalisation, multi-head self-attention, embeddings,
// patches to tokens and token selection.

#include "exec/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pipesplit::exec {

using dnnl::memory;

namespace {

void require_sequence(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].size() != 2)
    refuse(c.layer, "needs one [T, D] input");
}

// Scores = Q K^T / sqrt(d) per head, softmax over the keys, then Scores V; Q, K and V are strided views of the
// packed [T, 3D] input, and the heads' outputs land side by side in the [T, D] output, so nothing is copied.
class AttentionKernel : public LayerKernel {
public:
  AttentionKernel(const KernelContext& c, int64_t tokens, int64_t width, int64_t heads)
      : engine_(c.engine), width_(width)
  {
    const int64_t d = width / heads;
    query_          = memory::desc({heads, tokens, d}, memory::data_type::f32, {d, 3 * width, 1});
    key_t_          = memory::desc({heads, d, tokens}, memory::data_type::f32, {d, 1, 3 * width});
    value_          = memory::desc({heads, tokens, d}, memory::data_type::f32, {d, 3 * width, 1});
    scores_desc_    = plain_desc({heads, tokens, tokens});
    out_            = memory::desc({heads, tokens, d}, memory::data_type::f32, {d, width, 1});
    dnnl::primitive_attr scale;
    scale.set_output_scales(0, {1.0f / std::sqrt(static_cast<float>(d))});
    scores_mm_ =
        dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(query_, key_t_, scores_desc_), scale, engine_));
    softmax_     = dnnl::softmax_forward(dnnl::softmax_forward::primitive_desc(
            dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, scores_desc_, 2), engine_));
    weighted_mm_ = dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(scores_desc_, value_, out_), engine_));
    scores_      = memory(scores_desc_, engine_);
  }

  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const float* packed = inputs[0]->data.data();
    scores_mm_.execute(stream, {{DNNL_ARG_SRC, wrap(query_, engine_, packed)},
                                {DNNL_ARG_WEIGHTS, wrap(key_t_, engine_, packed + width_)},
                                {DNNL_ARG_DST, scores_}});
    softmax_.execute(stream, {{DNNL_ARG_SRC, scores_}, {DNNL_ARG_DST, scores_}});
    weighted_mm_.execute(stream, {{DNNL_ARG_SRC, scores_},
                                  {DNNL_ARG_WEIGHTS, wrap(value_, engine_, packed + 2 * width_)},
                                  {DNNL_ARG_DST, wrap(out_, engine_, output.data.data())}});
  }

private:
  dnnl::engine& engine_;
  int64_t width_;
  memory::desc query_, key_t_, value_, scores_desc_, out_;
  dnnl::matmul scores_mm_, weighted_mm_;
  dnnl::softmax_forward softmax_;
  memory scores_;
};

// A row of a random [rows, D] table per token id (a gather: data movement, no oneDNN primitive for it).
class LookupKernel : public LayerKernel {
public:
  LookupKernel(const KernelContext& c, int64_t rows, int64_t width)
      : rows_(rows), width_(width), table_(static_cast<size_t>(rows * width))
  {
    RandomStream(c.seed, c.layer.name + "/table").fill(table_, -1, 1);
  }

  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const auto& ids = inputs[0]->data;
    for (size_t t = 0; t < ids.size(); ++t) {
      const int64_t id = std::clamp(static_cast<int64_t>(ids[t]), int64_t{0}, rows_ - 1);
      std::copy_n(table_.begin() + id * width_, width_, output.data.begin() + static_cast<int64_t>(t) * width_);
    }
  }

private:
  int64_t rows_, width_;
  std::vector<float> table_;
};

// [C, H, W] patches to [extra + H W, C] tokens: `extra` learned tokens first (ViT's class token), then the map, whose
// channels-last layout already is [H W, C] row-major, then a learned positional table added when the layer has one.
class ToTokensKernel : public LayerKernel {
public:
  ToTokensKernel(const KernelContext& c, const Shape& in, int64_t extra, bool positional)
      : engine_(c.engine), sequence_(plain_desc({extra + in[1] * in[2], in[0]}))
  {
    extra_tokens_.resize(static_cast<size_t>(extra * in[0]));
    RandomStream(c.seed, c.layer.name + "/extra_tokens").fill(extra_tokens_, -1, 1);
    if (positional) {
      table_ = random_weights(c, "positions", sequence_, sequence_, -0.1f, 0.1f);
      add_   = dnnl::binary(dnnl::binary::primitive_desc(
            dnnl::binary::desc(dnnl::algorithm::binary_add, sequence_, sequence_, sequence_), engine_));
    }
  }

  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const auto tokens = std::copy(extra_tokens_.begin(), extra_tokens_.end(), output.data.begin());
    std::copy(inputs[0]->data.begin(), inputs[0]->data.end(), tokens);
    if (table_) {
      memory sequence = wrap(sequence_, engine_, output.data.data());
      add_.execute(stream, {{DNNL_ARG_SRC_0, sequence}, {DNNL_ARG_SRC_1, table_}, {DNNL_ARG_DST, sequence}});
    }
  }

private:
  dnnl::engine& engine_;
  memory::desc sequence_;
  std::vector<float> extra_tokens_;
  memory table_;
  dnnl::binary add_;
};

class SelectTokenKernel : public LayerKernel {
public:
  SelectTokenKernel(int64_t index, int64_t width) : index_(index), width_(width) {}
  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    std::copy_n(inputs[0]->data.begin() + index_ * width_, width_, output.data.begin());
  }

private:
  int64_t index_, width_;
};

} // namespace

std::unique_ptr<LayerKernel> make_layer_norm(const KernelContext& c)
{
  if (c.input_shapes.size() != 1 || c.input_shapes[0].empty())
    refuse(c.layer, "needs one input");
  const Shape& in                = c.input_shapes[0];
  const int64_t width            = in.back();
  const memory::desc data        = plain_desc({element_count(in) / width, width});
  const memory::desc per_feature = plain_desc({width});
  const dnnl::layer_normalization_forward::desc desc(
      dnnl::prop_kind::forward_inference, data, static_cast<float>(c.layer.attributes.epsilon),
      dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift);
  std::unordered_map<int, memory> weights;
  weights[DNNL_ARG_SCALE] = random_weights(c, "scale", per_feature, per_feature, 0.5f, 1.5f);
  weights[DNNL_ARG_SHIFT] = random_weights(c, "shift", per_feature, per_feature, -0.1f, 0.1f);
  auto kernel             = primitive_kernel(
                  dnnl::layer_normalization_forward(dnnl::layer_normalization_forward::primitive_desc(desc, c.engine)),
                  {{DNNL_ARG_SRC, data}}, data, std::move(weights), c.engine);
  // A [A, B, D] input lies channels-last: its rows of D features are normalised in a row-major copy.
  return in.size() == 3 ? row_major(std::move(kernel), c) : std::move(kernel);
}

std::unique_ptr<LayerKernel> make_attention(const KernelContext& c)
{
  require_sequence(c);
  const Shape& in     = c.input_shapes[0];
  const int64_t heads = c.layer.attributes.heads;
  if (heads < 1 || in[1] % (3 * heads) != 0 || c.layer.output_shape != Shape{in[0], in[1] / 3})
    refuse(c.layer, "needs packed [T, 3D] q|k|v, heads dividing D, and a [T, D] output");
  return std::make_unique<AttentionKernel>(c, in[0], in[1] / 3, heads);
}

std::unique_ptr<LayerKernel> make_embedding(const KernelContext& c)
{
  const int64_t rows = c.layer.attributes.rows;
  if (c.input_shapes.size() != 1 || rows < 1 || c.layer.output_shape.size() != 2)
    refuse(c.layer, "needs one input, table rows and a [T, D] output");
  const Shape& in     = c.input_shapes[0];
  const int64_t width = c.layer.output_shape[1];
  if (in.size() == 1 && in[0] == c.layer.output_shape[0])
    return std::make_unique<LookupKernel>(c, rows, width);
  if (in != c.layer.output_shape)
    refuse(c.layer, "neither a lookup of [T] ids nor a table added to a [T, D] input");
  // Positions 0..T-1, or one segment's row for every token.
  const int64_t tokens     = in[0];
  const memory::desc data  = plain_desc({tokens, width});
  const memory::desc table = plain_desc({rows >= tokens ? tokens : 1, width});
  std::unordered_map<int, memory> weights;
  weights[DNNL_ARG_SRC_1] = random_weights(c, "table", table, table, -0.1f, 0.1f);
  const dnnl::binary::desc desc(dnnl::algorithm::binary_add, data, table, data);
  return primitive_kernel(dnnl::binary(dnnl::binary::primitive_desc(desc, c.engine)), {{DNNL_ARG_SRC_0, data}}, data,
                          std::move(weights), c.engine);
}

std::unique_ptr<LayerKernel> make_to_tokens(const KernelContext& c)
{
  if (c.input_shapes.size() != 1)
    refuse(c.layer, "needs one input");
  const Shape& in     = c.input_shapes[0];
  const int64_t extra = c.layer.attributes.extra_tokens;
  if (in.size() != 3 || c.layer.output_shape != Shape{extra + in[1] * in[2], in[0]}) {
    if (element_count(in) == element_count(c.layer.output_shape) && extra == 0)
      return make_copy(c); // a reshape that keeps the row-major order
    refuse(c.layer, "neither [C, H, W] to [extra + H W, C] tokens nor an order-keeping reshape");
  }
  const bool positional = c.layer.params > static_cast<double>(extra * in[0]);
  return std::make_unique<ToTokensKernel>(c, in, extra, positional);
}

std::unique_ptr<LayerKernel> make_select_token(const KernelContext& c)
{
  if (c.input_shapes.size() == 1 && c.input_shapes[0].size() == c.layer.output_shape.size())
    return make_range_slice(c);
  require_sequence(c);
  const Shape& in = c.input_shapes[0];
  if (c.layer.attributes.index >= in[0] || c.layer.output_shape != Shape{in[1]})
    refuse(c.layer, "needs a token index below T and a [D] output");
  return std::make_unique<SelectTokenKernel>(c.layer.attributes.index, in[1]);
}

} // namespace pipesplit::exec
