// VGG-16 (Simonyan & Zisserman, ICLR 2015, configuration D), as torchvision builds it (vgg16, without batch norm):
// thirteen 3x3 convolutions with bias and ReLU in five stages, each closed by a 2x2 max pool, torchvision's
// AdaptiveAvgPool2d((7, 7)), then the 4096-4096-1000 classifier. On the published 224 input the features are already
// 7x7 and the pool is the identity, so it is only built at other sizes. Dropout is an inference no-op.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

namespace pipesplit::models {

Model build_vgg16(int resolution)
{
  struct Stage {
    int64_t width;
    int convs;
  };
  const Stage stages[] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
  ModelBuilder b("vgg16", {3, resolution, resolution});
  int stage = 0;
  for (const auto& s : stages) {
    ++stage;
    for (int i = 1; i <= s.convs; ++i) {
      const std::string name = fmt::format("conv{}_{}", stage, i);
      b.conv(name, conv_spec(s.width, 3, 1, 1, 1, true));
      b.activation(name + ".relu");
    }
    b.max_pool(fmt::format("pool{}", stage), 2, 2);
  }
  const Shape& features = b.shape(b.last());
  if (features[1] != 7 || features[2] != 7)
    b.adaptive_avg_pool("avgpool", 7, 7);
  b.flatten("flatten");
  b.fc("fc6", 4096);
  b.activation("fc6.relu");
  b.fc("fc7", 4096);
  b.activation("fc7.relu");
  b.fc("fc8", 1000);
  return b.build();
}

} // namespace pipesplit::models
