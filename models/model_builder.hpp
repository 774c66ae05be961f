#pragma once
// Shape-inference engine: describe an architecture layer by layer and get a Model whose FLOP, parameter counts
// and tensor sizes are computed from the shapes, never typed in. Activation shapes are [C, H, W] for images and
// [tokens, features] for sequences (batch 1, omitted). Every method returns the new layer's name; `from` names the
// producing layer (or the model input) and defaults to the layer added last.

#include "core/model.hpp"
#include "models/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::models {

struct ConvSpec {
  int64_t out_channels = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t groups = 1; // groups == in_channels == out_channels is a depthwise convolution
  bool bias      = false;
};

// Square kernel, "same"-style padding k/2 unless given.
ConvSpec conv_spec(int64_t out_channels, int64_t kernel, int64_t stride = 1, int64_t pad = -1, int64_t groups = 1,
                   bool bias = false);

class ModelBuilder {
public:
  ModelBuilder(std::string model_name, Shape input_shape, double dtype_bytes = 4);

  std::string conv(const std::string& name, const ConvSpec& spec, const std::string& from = "");
  std::string batch_norm(const std::string& name, const std::string& from = "");
  // Element-wise activation: relu, relu6, leaky_relu, sigmoid, hswish, gelu, ... (kind becomes the op type)
  std::string activation(const std::string& name, const std::string& kind = "relu", const std::string& from = "");
  std::string max_pool(const std::string& name, int64_t kernel, int64_t stride, int64_t pad = 0, bool ceil_mode = false,
                       const std::string& from = "");
  std::string avg_pool(const std::string& name, int64_t kernel, int64_t stride, int64_t pad = 0, bool ceil_mode = false,
                       const std::string& from = "");
  // Max pool as Darknet pads it: kernel - 1 extra rows and columns at the bottom and right, so the output is
  // ceil(in / stride) (a 2x2 stride-1 pool keeps 13x13, where PyTorch's would give 12x12).
  std::string max_pool_same(const std::string& name, int64_t kernel, int64_t stride, const std::string& from = "");
  std::string global_avg_pool(const std::string& name, const std::string& from = "");
  // PyTorch's AdaptiveAvgPool2d: output cell (i, j) averages input rows floor(i H / h) .. ceil((i + 1) H / h) - 1 and
  // the same for columns (bins overlap when the input is not a multiple of the output).
  std::string adaptive_avg_pool(const std::string& name, int64_t out_h, int64_t out_w, const std::string& from = "");
  std::string fc(const std::string& name, int64_t out_features, bool bias = true, const std::string& from = "");
  std::string add(const std::string& name, const std::vector<std::string>& inputs);
  std::string concat(const std::string& name, const std::vector<std::string>& inputs); // along channels (axis 0)
  std::string flatten(const std::string& name, const std::string& from = "");
  // Space-to-depth (Darknet's reorg, YOLOv2's passthrough): [C, H, W] -> [C*s*s, H/s, W/s], data movement only.
  std::string reorg(const std::string& name, int64_t stride, const std::string& from = "");

  // Sequence ops for transformers; shapes [tokens, features].
  std::string linear(const std::string& name, int64_t out_features, bool bias = true, const std::string& from = "");
  std::string layer_norm(const std::string& name, const std::string& from = "");
  // Multi-head self-attention core on packed q|k|v of shape [T, 3D]: scores QK^T, softmax, weighted sum of V.
  std::string attention(const std::string& name, int64_t heads, const std::string& from = "");
  std::string embedding(const std::string& name, int64_t vocabulary, int64_t width, const std::string& from = "");
  // Add to each token of a [T, D] sequence a row looked up in a learned [rows, D] table (BERT's position and
  // token-type embeddings).
  std::string add_embedding_table(const std::string& name, int64_t rows, const std::string& from = "");
  // Turn a [C, H, W] map into [H*W, C] tokens (a patch embedding's output), optionally prepending `extra` tokens.
  std::string to_tokens(const std::string& name, int64_t extra_tokens, int64_t extra_params,
                        const std::string& from = "");
  std::string select_token(const std::string& name, int64_t index, const std::string& from = ""); // [T,D] -> [D]

  const Shape& shape(const std::string& name) const;
  const std::string& last() const { return last_; }
  Model build() const;

private:
  const Layer& layer(const std::string& name) const;
  std::string resolve(const std::string& from) const;
  std::string push(Layer layer);
  std::string pool(const std::string& name, const std::string& op, int64_t kernel, int64_t stride, int64_t pad,
                   bool ceil_mode, const std::string& from);

  Model model_;
  std::string last_;
};

} // namespace pipesplit::models
