// YOLOv2 and Tiny-YOLOv2 (Redmon & Farhadi, CVPR 2017) at 416x416 with the 80-class COCO head, as Darknet builds
// them from cfg/yolov2.cfg and cfg/yolov2-tiny.cfg: every [convolutional] section but the last is a convolution
// without bias, batch norm (whose beta stands in for the bias) and leaky ReLU; the last is a 1x1 linear convolution
// with bias giving 5 anchors x (80 classes + 4 box coordinates + 1 objectness) = 425 channels on the 13x13 grid.
// Layers are named after their Darknet index ("layer16") so they can be matched with Darknet's layer table. The
// [region] layer (logistic / softmax decoding of the boxes) is post-processing and is left out.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <vector>

namespace pipesplit::models {

namespace {

constexpr int64_t coco_head_channels = 5 * (80 + 5);

// One [convolutional] or [maxpool] section of a Darknet cfg.
struct Section {
  int64_t filters; // 0 for a [maxpool] section
  int64_t size;
  int64_t stride = 1;
};

constexpr Section maxpool{0, 2, 2};

std::string conv_bn_leaky(ModelBuilder& b, const std::string& name, int64_t filters, int64_t size,
                          const std::string& from = "")
{
  b.conv(name + ".conv", conv_spec(filters, size), from); // Darknet's pad=1 means size / 2
  b.batch_norm(name + ".bn");
  return b.activation(name + ".leaky", "leaky_relu");
}

// Darknet's final [convolutional] section: linear activation, bias, no batch norm.
std::string detection_conv(ModelBuilder& b, const std::string& name, const std::string& from = "")
{
  return b.conv(name + ".conv", conv_spec(coco_head_channels, 1, 1, 0, 1, true), from);
}

// The sections in order from Darknet layer 0; returns each one's output, indexed like Darknet's layers.
std::vector<std::string> sections(ModelBuilder& b, const std::vector<Section>& list)
{
  std::vector<std::string> outputs;
  for (const auto& s : list) {
    const std::string name = fmt::format("layer{}", outputs.size());
    outputs.push_back(s.filters == 0 ? b.max_pool_same(name + ".maxpool", s.size, s.stride)
                                     : conv_bn_leaky(b, name, s.filters, s.size));
  }
  return outputs;
}

} // namespace

Model build_yolov2(int resolution)
{
  ModelBuilder b("yolov2", {3, resolution, resolution});
  // Layers 0-24: the Darknet-19 backbone without its classifier, then two more 3x3x1024 convolutions.
  const auto out =
      sections(b, {{32, 3},   maxpool,  {64, 3},   maxpool,  {128, 3},  {64, 1},   {128, 3}, maxpool,  {256, 3},
                   {128, 1},  {256, 3}, maxpool,   {512, 3}, {256, 1},  {512, 3},  {256, 1}, {512, 3}, maxpool,
                   {1024, 3}, {512, 1}, {1024, 3}, {512, 1}, {1024, 3}, {1024, 3}, {1024, 3}});
  // Passthrough: layer 25 ([route] -9) takes layer 16's 26x26 map back, layer 26 thins it to 64 channels, the reorg
  // folds it to 13x13x256, and layer 28 ([route] -1,-4) concatenates it in front of layer 24's output.
  const std::string fine   = conv_bn_leaky(b, "layer26", 64, 1, out.at(16));
  const std::string folded = b.reorg("layer27.reorg", 2, fine);
  b.concat("layer28.route", {folded, out.at(24)});
  conv_bn_leaky(b, "layer29", 1024, 3);
  detection_conv(b, "layer30");
  return b.build();
}

Model build_tiny_yolov2(int resolution)
{
  ModelBuilder b("tiny_yolov2", {3, resolution, resolution});
  // Layer 11 is a 2x2 stride-1 max pool, which Darknet pads so the grid stays 13x13.
  constexpr Section stride1_maxpool{0, 2, 1};
  const std::vector<Section> layers = {{16, 3}, maxpool,  {32, 3}, maxpool,  {64, 3},         maxpool,   {128, 3},
                                       maxpool, {256, 3}, maxpool, {512, 3}, stride1_maxpool, {1024, 3}, {512, 3}};
  sections(b, layers);
  detection_conv(b, "layer14");
  return b.build();
}

} // namespace pipesplit::models
