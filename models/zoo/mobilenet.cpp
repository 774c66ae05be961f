// MobileNetV2 1.0 / 224 (Sandler et al., CVPR 2018), as torchvision builds it: inverted residual blocks
// (1x1 expansion, 3x3 depthwise, 1x1 linear projection), ReLU6, residual add when stride 1 and widths match.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

namespace pipesplit::models {

static std::string conv_bn_act(ModelBuilder& b, const std::string& name, const ConvSpec& spec, bool relu6)
{
  b.conv(name + ".conv", spec);
  b.batch_norm(name + ".bn");
  return relu6 ? b.activation(name + ".relu6", "relu6") : b.last();
}

static void inverted_residual(ModelBuilder& b, const std::string& name, int64_t out, int64_t stride, int64_t expand)
{
  const std::string input = b.last();
  const int64_t in        = b.shape(input)[0];
  const int64_t hidden    = in * expand;
  if (expand != 1)
    conv_bn_act(b, name + ".expand", conv_spec(hidden, 1, 1, 0), true);
  conv_bn_act(b, name + ".dw", conv_spec(hidden, 3, stride, 1, hidden), true);
  const std::string projected = conv_bn_act(b, name + ".project", conv_spec(out, 1, 1, 0), false);
  if (stride == 1 && in == out)
    b.add(name + ".add", {projected, input});
}

Model build_mobilenet_v2(int resolution)
{
  struct Setting {
    int64_t expand, out, repeats, stride;
  };
  const Setting settings[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                              {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  ModelBuilder b("mobilenet_v2", {3, resolution, resolution});
  conv_bn_act(b, "stem", conv_spec(32, 3, 2), true);
  int block = 0;
  for (const auto& s : settings)
    for (int64_t i = 0; i < s.repeats; ++i)
      inverted_residual(b, fmt::format("block{}", ++block), s.out, i == 0 ? s.stride : 1, s.expand);
  conv_bn_act(b, "head", conv_spec(1280, 1, 1, 0), true);
  b.global_avg_pool("avgpool");
  b.flatten("flatten");
  b.fc("classifier", 1000);
  return b.build();
}

} // namespace pipesplit::models
