// Transformer encoders.
//
// ViT-B/16 (Dosovitskiy et al., ICLR 2021), as torchvision builds it (vit_b_16): a 16x16 stride-16 convolution with
// bias cuts (side / 16)^2 patches (196 at the published 224), a class token is prepended and a learned positional
// embedding added (one row of 768 per token: torchvision sizes it for its image_size), then 12 pre-norm encoder blocks
// (width 768, 12 heads, MLP 3072 with GELU), a final layer norm and the 1000-way head on the class token.
//
// BERT-base (Devlin et al., NAACL 2019), uncased, as Hugging Face's BertModel builds it, at a sequence of 128 tokens:
// word, position and token-type embeddings summed and layer-normed, 12 post-norm encoder layers (768, 12 heads,
// 3072 with GELU), and the pooler (dense + tanh on the first token). The model's input is the [128] token ids, held
// as int32 (4 bytes, the builder's one element size); the token-type ids are taken as all zero (one segment) and the
// attention mask as all ones, so neither is a separate input.
//
// The builder's attention takes packed q|k|v, so BERT's separate query, key and value projections appear as one
// 768 -> 2304 linear: the same weights, MAC and parameters. Dropout is an inference no-op.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace pipesplit::models {

namespace {

struct Encoder {
  int layers;
  int64_t width, mlp, heads;
};

// ViT-B and BERT-base share these dimensions.
constexpr Encoder base{12, 768, 3072, 12};

std::string self_attention(ModelBuilder& b, const Encoder& e, const std::string& name, const std::string& from)
{
  b.linear(name + ".qkv", 3 * e.width, true, from);
  b.attention(name + ".core", e.heads);
  return b.linear(name + ".out", e.width);
}

std::string mlp(ModelBuilder& b, const Encoder& e, const std::string& name, const std::string& from)
{
  b.linear(name + ".fc1", e.mlp, true, from);
  b.activation(name + ".gelu", "gelu");
  return b.linear(name + ".fc2", e.width);
}

// ViT: x + attn(ln1(x)), then y + mlp(ln2(y)).
std::string pre_norm_block(ModelBuilder& b, const Encoder& e, const std::string& name)
{
  const std::string input = b.last();
  const std::string attn  = self_attention(b, e, name + ".attn", b.layer_norm(name + ".ln1", input));
  const std::string mid   = b.add(name + ".add1", {attn, input});
  const std::string out   = mlp(b, e, name + ".mlp", b.layer_norm(name + ".ln2", mid));
  return b.add(name + ".add2", {out, mid});
}

// BERT: ln1(x + attn(x)), then ln2(y + mlp(y)).
std::string post_norm_block(ModelBuilder& b, const Encoder& e, const std::string& name)
{
  const std::string input = b.last();
  const std::string attn  = self_attention(b, e, name + ".attn", input);
  b.add(name + ".add1", {attn, input});
  const std::string mid = b.layer_norm(name + ".ln1");
  const std::string out = mlp(b, e, name + ".mlp", mid);
  b.add(name + ".add2", {out, mid});
  return b.layer_norm(name + ".ln2");
}

} // namespace

Model build_vit_b_16(int resolution)
{
  constexpr int64_t patch = 16;
  if (resolution % patch != 0) // torchvision refuses it too: the patches must tile the image
    throw std::invalid_argument(fmt::format("the side must be a multiple of the {}-pixel patch", patch));
  ModelBuilder b("vit_b_16", {3, resolution, resolution});
  b.conv("conv_proj", conv_spec(base.width, patch, patch, 0, 1, true));
  const int64_t tokens = b.shape("conv_proj")[1] * b.shape("conv_proj")[2] + 1;
  b.to_tokens("tokens", 1, base.width + tokens * base.width); // class token, positional embedding
  for (int i = 0; i < base.layers; ++i)
    pre_norm_block(b, base, fmt::format("encoder.layer{}", i));
  b.layer_norm("encoder.ln");
  b.select_token("class_token", 0);
  b.fc("head", 1000);
  return b.build();
}

Model build_bert_base()
{
  constexpr int64_t sequence = 128, vocabulary = 30522, max_positions = 512, token_types = 2;
  ModelBuilder b("bert_base", {sequence});
  b.embedding("embeddings.word", vocabulary, base.width);
  b.add_embedding_table("embeddings.position", max_positions);
  b.add_embedding_table("embeddings.token_type", token_types);
  b.layer_norm("embeddings.ln");
  for (int i = 0; i < base.layers; ++i)
    post_norm_block(b, base, fmt::format("encoder.layer{}", i));
  b.select_token("pooler.first", 0);
  b.linear("pooler.dense", base.width);
  b.activation("pooler.tanh", "tanh");
  return b.build();
}

} // namespace pipesplit::models
