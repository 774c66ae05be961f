// Per-model checks of the VGG, Inception, YOLO and transformer zoo entries: intermediate shapes, one layer's MAC
// worked out by hand, and layer counts by op. Totals against the published figures are in test_zoo.cpp.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

using namespace pipesplit;
using namespace pipesplit::models;

static Model zoo(const std::string& name)
{
  const ZooEntry* entry = find_zoo_model(name);
  REQUIRE(entry != nullptr);
  return entry->build();
}

static const Layer& layer(const Model& model, const std::string& name)
{
  const int index = model.layer_index(name);
  REQUIRE(index >= 0);
  return model.layers.at(static_cast<size_t>(index));
}

static long count_op(const Model& model, const std::string& op)
{
  return std::count_if(model.layers.begin(), model.layers.end(), [&](const Layer& l) { return l.op == op; });
}

TEST_CASE("VGG-16: 13 convolutions down to 14x14, then the 25088-4096-4096-1000 classifier", "[zoo]")
{
  const Model vgg = zoo("vgg16");
  CHECK(layer(vgg, "conv1_1").output_shape == Shape{64, 224, 224});
  CHECK(layer(vgg, "conv5_3").output_shape == Shape{512, 14, 14});
  CHECK(layer(vgg, "pool5").output_shape == Shape{512, 7, 7});
  // The first classifier layer holds most of the weights: 512 x 7 x 7 inputs to 4096 outputs, with bias.
  const Layer& fc6 = layer(vgg, "fc6");
  CHECK(fc6.macs == 25088.0 * 4096);
  CHECK(fc6.params == 25088.0 * 4096 + 4096);
  // 3x3 convolutions with bias: conv1_2 maps 64 to 64 channels at 224x224.
  CHECK(layer(vgg, "conv1_2").macs == 64.0 * 224 * 224 * 64 * 9);
  CHECK(layer(vgg, "conv1_2").params == 64 * 64 * 9 + 64);
  CHECK(count_op(vgg, "conv") == 13);
  CHECK(count_op(vgg, "fc") == 3);
  CHECK(count_op(vgg, "maxpool") == 5);
  CHECK(vgg.layers.size() == 37);
}

TEST_CASE("GoogLeNet: torchvision's ceil-mode pools and 3x3 '5x5' branch", "[zoo]")
{
  const Model net = zoo("googlenet");
  CHECK(layer(net, "maxpool1").output_shape == Shape{64, 56, 56}); // ceil((112 - 3) / 2) + 1
  CHECK(layer(net, "inception3a.concat").output_shape == Shape{256, 28, 28});
  CHECK(layer(net, "inception4e.concat").output_shape == Shape{832, 14, 14});
  CHECK(layer(net, "maxpool4").output_shape == Shape{832, 7, 7});
  CHECK(layer(net, "inception5b.concat").output_shape == Shape{1024, 7, 7});
  // inception3a's third branch: 16 -> 32 channels with a 3x3 kernel at 28x28, no bias.
  const Layer& branch = layer(net, "inception3a.branch3.1.conv");
  CHECK(branch.macs == 32.0 * 28 * 28 * 16 * 9);
  CHECK(branch.params == 32 * 16 * 9);
  CHECK(count_op(net, "conv") == 57); // 3 in the stem + 9 modules x 6
  CHECK(count_op(net, "concat") == 9);
  CHECK(count_op(net, "fc") == 1);
}

TEST_CASE("Inception-v3: 299 -> 35 -> 17 -> 8, factorised 1x7 / 7x1 convolutions", "[zoo]")
{
  const Model net = zoo("inception_v3");
  CHECK(layer(net, "Conv2d_1a_3x3.conv").output_shape == Shape{32, 149, 149});
  CHECK(layer(net, "maxpool2").output_shape == Shape{192, 35, 35});
  CHECK(layer(net, "Mixed_5b.concat").output_shape == Shape{256, 35, 35});
  CHECK(layer(net, "Mixed_5d.concat").output_shape == Shape{288, 35, 35});
  CHECK(layer(net, "Mixed_6a.concat").output_shape == Shape{768, 17, 17});
  CHECK(layer(net, "Mixed_7a.concat").output_shape == Shape{1280, 8, 8});
  CHECK(layer(net, "Mixed_7c.concat").output_shape == Shape{2048, 8, 8});
  // Mixed_6b's 1x7 convolution: 128 -> 128 channels, 7 taps per input channel, 17x17 kept by padding (0, 3).
  const Layer& one_by_seven = layer(net, "Mixed_6b.branch7x7_2.conv");
  CHECK(one_by_seven.output_shape == Shape{128, 17, 17});
  CHECK(one_by_seven.macs == 128.0 * 17 * 17 * 128 * 7);
  CHECK(one_by_seven.params == 128 * 128 * 7);
  CHECK(count_op(net, "conv") == 94);
  CHECK(count_op(net, "concat") == 15); // 11 modules + 2 x 2 split 1x3 / 3x1 banks in Mixed_7b, Mixed_7c
  CHECK(count_op(net, "fc") == 1);
}

TEST_CASE("YOLOv2: Darknet pools, passthrough reorg and route to a 425x13x13 COCO output", "[zoo]")
{
  const Model yolo = zoo("yolov2");
  CHECK(layer(yolo, "layer1.maxpool").output_shape == Shape{32, 208, 208});
  CHECK(layer(yolo, "layer16.leaky").output_shape == Shape{512, 26, 26});
  CHECK(layer(yolo, "layer24.leaky").output_shape == Shape{1024, 13, 13});
  const Layer& reorg = layer(yolo, "layer27.reorg");
  CHECK(reorg.output_shape == Shape{256, 13, 13});
  CHECK(reorg.flop == 0);
  CHECK(reorg.inputs == std::vector<std::string>{"layer26.leaky"});
  CHECK(layer(yolo, "layer26.conv").inputs == std::vector<std::string>{"layer16.leaky"});
  CHECK(layer(yolo, "layer28.route").output_shape == Shape{1280, 13, 13});
  // The convolution after the route: 1280 -> 1024 channels, 3x3, on 13x13.
  CHECK(layer(yolo, "layer29.conv").macs == 1024.0 * 13 * 13 * 1280 * 9);
  const Layer& head = yolo.layers.back();
  CHECK(head.name == "layer30.conv");
  CHECK(head.output_shape == Shape{425, 13, 13});
  CHECK(head.params == 1024 * 425 + 425);
  CHECK(count_op(yolo, "conv") == 23);
  CHECK(count_op(yolo, "bn") == 22);
  CHECK(count_op(yolo, "maxpool") == 5);
  CHECK(count_op(yolo, "reorg") == 1);
}

TEST_CASE("Tiny-YOLOv2: the padded 2x2 stride-1 pool keeps the 13x13 grid", "[zoo]")
{
  const Model tiny = zoo("tiny_yolov2");
  CHECK(layer(tiny, "layer10.leaky").output_shape == Shape{512, 13, 13});
  CHECK(layer(tiny, "layer11.maxpool").output_shape == Shape{512, 13, 13});
  CHECK(layer(tiny, "layer13.conv").macs == 512.0 * 13 * 13 * 1024 * 9);
  CHECK(tiny.layers.back().output_shape == Shape{425, 13, 13});
  CHECK(count_op(tiny, "conv") == 9);
  CHECK(count_op(tiny, "maxpool") == 6);
}

TEST_CASE("ViT-B/16: 197 tokens of 768 through 12 pre-norm blocks", "[zoo]")
{
  const Model vit = zoo("vit_b_16");
  CHECK(layer(vit, "conv_proj").output_shape == Shape{768, 14, 14});
  const Layer& tokens = layer(vit, "tokens");
  CHECK(tokens.output_shape == Shape{197, 768});
  CHECK(tokens.params == 768 + 197 * 768); // class token + positional embedding
  CHECK(layer(vit, "encoder.layer11.add2").output_shape == Shape{197, 768});
  // Attention core: Q K^T and the weighted sum of V, each 197 x 197 x 768 multiply-accumulates.
  CHECK(layer(vit, "encoder.layer0.attn.core").macs == 2.0 * 197 * 197 * 768);
  CHECK(layer(vit, "encoder.layer0.mlp.fc1").macs == 197.0 * 768 * 3072);
  CHECK(vit.layers.back().output_shape == Shape{1000});
  CHECK(count_op(vit, "attention") == 12);
  CHECK(count_op(vit, "matmul") == 48);
  CHECK(count_op(vit, "layernorm") == 25);
}

TEST_CASE("BERT-base: 128 token ids, 23.8 M of embeddings, 12 post-norm layers and the pooler", "[zoo]")
{
  const Model bert = zoo("bert_base");
  CHECK(bert.input_shape == Shape{128});
  CHECK(bert.input_bytes == 128 * 4); // int32 token ids
  double embedding_params = 0;
  for (const auto& name : {"embeddings.word", "embeddings.position", "embeddings.token_type", "embeddings.ln"})
    embedding_params += layer(bert, name).params;
  CHECK(embedding_params == (30522 + 512 + 2) * 768 + 2 * 768);
  CHECK(layer(bert, "embeddings.ln").output_shape == Shape{128, 768});
  CHECK(layer(bert, "encoder.layer11.ln2").output_shape == Shape{128, 768});
  CHECK(layer(bert, "encoder.layer0.attn.qkv").macs == 128.0 * 768 * 3 * 768);
  CHECK(layer(bert, "encoder.layer0.attn.core").macs == 2.0 * 128 * 128 * 768);
  CHECK(bert.layers.back().name == "pooler.tanh");
  CHECK(bert.layers.back().output_shape == Shape{768});
  CHECK(count_op(bert, "attention") == 12);
  CHECK(count_op(bert, "matmul") == 49); // 4 per layer + the pooler
}

TEST_CASE("Darknet max pool and reorg shape rules", "[zoo]")
{
  ModelBuilder b("probe", {4, 5, 5});
  CHECK(b.shape(b.max_pool_same("pool", 2, 2)) == Shape{4, 3, 3}); // ceil(5 / 2)
  CHECK_THROWS_AS(b.reorg("odd", 2), std::invalid_argument);       // 3x3 does not fold by 2
  ModelBuilder even("probe", {8, 6, 4});
  CHECK(even.shape(even.reorg("fold", 2)) == Shape{32, 3, 2});
}
