// ResNet-18/50/101 (He et al., CVPR 2016) as torchvision builds them: 7x7 stem, basic blocks (18) or bottleneck
// blocks with the stride on the 3x3 convolution (50, 101), 1x1 projection shortcuts where the shape changes.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace pipesplit::models {

static std::string conv_bn(ModelBuilder& b, const std::string& name, const ConvSpec& spec, bool relu,
                           const std::string& from)
{
  b.conv(name + ".conv", spec, from);
  b.batch_norm(name + ".bn");
  return relu ? b.activation(name + ".relu") : b.last();
}

static std::string basic_block(ModelBuilder& b, const std::string& name, int64_t width, int64_t stride)
{
  const std::string input = b.last();
  const bool project      = stride != 1 || b.shape(input)[0] != width;
  conv_bn(b, name + ".a", conv_spec(width, 3, stride), true, input);
  const std::string main = conv_bn(b, name + ".b", conv_spec(width, 3), false, "");
  const std::string skip = project ? conv_bn(b, name + ".down", conv_spec(width, 1, stride, 0), false, input) : input;
  b.add(name + ".add", {main, skip});
  return b.activation(name + ".relu");
}

static std::string bottleneck_block(ModelBuilder& b, const std::string& name, int64_t width, int64_t stride)
{
  const std::string input = b.last();
  const int64_t out       = 4 * width;
  const bool project      = stride != 1 || b.shape(input)[0] != out;
  conv_bn(b, name + ".a", conv_spec(width, 1, 1, 0), true, input);
  conv_bn(b, name + ".b", conv_spec(width, 3, stride), true, "");
  const std::string main = conv_bn(b, name + ".c", conv_spec(out, 1, 1, 0), false, "");
  const std::string skip = project ? conv_bn(b, name + ".down", conv_spec(out, 1, stride, 0), false, input) : input;
  b.add(name + ".add", {main, skip});
  return b.activation(name + ".relu");
}

Model build_resnet(int depth, int resolution)
{
  std::vector<int> blocks;
  bool bottleneck = true;
  switch (depth) {
  case 18:
    blocks     = {2, 2, 2, 2};
    bottleneck = false;
    break;
  case 50:
    blocks = {3, 4, 6, 3};
    break;
  case 101:
    blocks = {3, 4, 23, 3};
    break;
  default:
    throw std::invalid_argument(fmt::format("no ResNet-{} in the zoo", depth));
  }
  ModelBuilder b(fmt::format("resnet{}", depth), {3, resolution, resolution});
  conv_bn(b, "stem", conv_spec(64, 7, 2, 3), true, "");
  b.max_pool("stem.pool", 3, 2, 1);
  for (size_t stage = 0; stage < blocks.size(); ++stage) {
    const int64_t width = int64_t{64} << stage;
    for (int i = 0; i < blocks[stage]; ++i) {
      const int64_t stride   = (stage > 0 && i == 0) ? 2 : 1;
      const std::string name = fmt::format("layer{}.{}", stage + 1, i);
      bottleneck ? bottleneck_block(b, name, width, stride) : basic_block(b, name, width, stride);
    }
  }
  b.global_avg_pool("avgpool");
  b.flatten("flatten");
  b.fc("fc", 1000);
  return b.build();
}

} // namespace pipesplit::models
