// GoogLeNet (Inception v1, Szegedy et al., CVPR 2015) at 224x224 and Inception-v3 (Szegedy et al., CVPR 2016) at
// 299x299, as torchvision builds them for inference: every convolution is torchvision's BasicConv2d (no bias, batch
// norm, ReLU), and the auxiliary classifiers (GoogLeNet's aux1/aux2, Inception-v3's AuxLogits) are left out, as they
// only run in training. GoogLeNet follows torchvision, not the paper, where the two differ: its "5x5" branch uses a
// 3x3 convolution, and its pools use ceil_mode. The adaptive average pools are global on 7x7 and 8x8 maps.

#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

namespace pipesplit::models {

// torchvision's BasicConv2d.
static std::string basic_conv(ModelBuilder& b, const std::string& name, const ConvSpec& spec,
                              const std::string& from = "")
{
  b.conv(name + ".conv", spec, from);
  b.batch_norm(name + ".bn");
  return b.activation(name + ".relu");
}

// A stride-1 kernel_h x kernel_w convolution padded to keep the map size (Inception-v3's 1x7, 7x1, 1x3, 3x1).
static ConvSpec same_conv(int64_t out_channels, int64_t kernel_h, int64_t kernel_w)
{
  return ConvSpec{out_channels, kernel_h, kernel_w, 1, 1, kernel_h / 2, kernel_w / 2};
}

// --- GoogLeNet ---

namespace {
struct InceptionV1 {
  int64_t ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj;
};
} // namespace

static std::string inception_v1(ModelBuilder& b, const std::string& name, const InceptionV1& m)
{
  const std::string input = b.last();
  const std::string b1    = basic_conv(b, name + ".branch1", conv_spec(m.ch1x1, 1, 1, 0), input);
  basic_conv(b, name + ".branch2.0", conv_spec(m.ch3x3red, 1, 1, 0), input);
  const std::string b2 = basic_conv(b, name + ".branch2.1", conv_spec(m.ch3x3, 3));
  basic_conv(b, name + ".branch3.0", conv_spec(m.ch5x5red, 1, 1, 0), input);
  const std::string b3 = basic_conv(b, name + ".branch3.1", conv_spec(m.ch5x5, 3)); // 3x3 in torchvision
  b.max_pool(name + ".branch4.0", 3, 1, 1, true, input);
  const std::string b4 = basic_conv(b, name + ".branch4.1", conv_spec(m.pool_proj, 1, 1, 0));
  return b.concat(name + ".concat", {b1, b2, b3, b4});
}

Model build_googlenet(int resolution)
{
  ModelBuilder b("googlenet", {3, resolution, resolution});
  basic_conv(b, "conv1", conv_spec(64, 7, 2, 3));
  b.max_pool("maxpool1", 3, 2, 0, true);
  basic_conv(b, "conv2", conv_spec(64, 1, 1, 0));
  basic_conv(b, "conv3", conv_spec(192, 3));
  b.max_pool("maxpool2", 3, 2, 0, true);
  inception_v1(b, "inception3a", {64, 96, 128, 16, 32, 32});
  inception_v1(b, "inception3b", {128, 128, 192, 32, 96, 64});
  b.max_pool("maxpool3", 3, 2, 0, true);
  inception_v1(b, "inception4a", {192, 96, 208, 16, 48, 64});
  inception_v1(b, "inception4b", {160, 112, 224, 24, 64, 64});
  inception_v1(b, "inception4c", {128, 128, 256, 24, 64, 64});
  inception_v1(b, "inception4d", {112, 144, 288, 32, 64, 64});
  inception_v1(b, "inception4e", {256, 160, 320, 32, 128, 128});
  b.max_pool("maxpool4", 2, 2, 0, true);
  inception_v1(b, "inception5a", {256, 160, 320, 32, 128, 128});
  inception_v1(b, "inception5b", {384, 192, 384, 48, 128, 128});
  b.global_avg_pool("avgpool");
  b.flatten("flatten");
  b.fc("fc", 1000);
  return b.build();
}

// --- Inception-v3: torchvision's InceptionA..E blocks, named as there ---

static std::string inception_a(ModelBuilder& b, const std::string& name, int64_t pool_features)
{
  const std::string input = b.last();
  const std::string b1    = basic_conv(b, name + ".branch1x1", conv_spec(64, 1, 1, 0), input);
  basic_conv(b, name + ".branch5x5_1", conv_spec(48, 1, 1, 0), input);
  const std::string b5 = basic_conv(b, name + ".branch5x5_2", conv_spec(64, 5));
  basic_conv(b, name + ".branch3x3dbl_1", conv_spec(64, 1, 1, 0), input);
  basic_conv(b, name + ".branch3x3dbl_2", conv_spec(96, 3));
  const std::string b3 = basic_conv(b, name + ".branch3x3dbl_3", conv_spec(96, 3));
  b.avg_pool(name + ".branch_pool.avg", 3, 1, 1, false, input);
  const std::string bp = basic_conv(b, name + ".branch_pool", conv_spec(pool_features, 1, 1, 0));
  return b.concat(name + ".concat", {b1, b5, b3, bp});
}

// Grid reduction 35 -> 17.
static std::string inception_b(ModelBuilder& b, const std::string& name)
{
  const std::string input = b.last();
  const std::string b3    = basic_conv(b, name + ".branch3x3", conv_spec(384, 3, 2, 0), input);
  basic_conv(b, name + ".branch3x3dbl_1", conv_spec(64, 1, 1, 0), input);
  basic_conv(b, name + ".branch3x3dbl_2", conv_spec(96, 3));
  const std::string bd = basic_conv(b, name + ".branch3x3dbl_3", conv_spec(96, 3, 2, 0));
  const std::string bp = b.max_pool(name + ".branch_pool", 3, 2, 0, false, input);
  return b.concat(name + ".concat", {b3, bd, bp});
}

// Factorised 7x7 convolutions at 17x17.
static std::string inception_c(ModelBuilder& b, const std::string& name, int64_t c7)
{
  const std::string input = b.last();
  const std::string b1    = basic_conv(b, name + ".branch1x1", conv_spec(192, 1, 1, 0), input);
  basic_conv(b, name + ".branch7x7_1", conv_spec(c7, 1, 1, 0), input);
  basic_conv(b, name + ".branch7x7_2", same_conv(c7, 1, 7));
  const std::string b7 = basic_conv(b, name + ".branch7x7_3", same_conv(192, 7, 1));
  basic_conv(b, name + ".branch7x7dbl_1", conv_spec(c7, 1, 1, 0), input);
  basic_conv(b, name + ".branch7x7dbl_2", same_conv(c7, 7, 1));
  basic_conv(b, name + ".branch7x7dbl_3", same_conv(c7, 1, 7));
  basic_conv(b, name + ".branch7x7dbl_4", same_conv(c7, 7, 1));
  const std::string bd = basic_conv(b, name + ".branch7x7dbl_5", same_conv(192, 1, 7));
  b.avg_pool(name + ".branch_pool.avg", 3, 1, 1, false, input);
  const std::string bp = basic_conv(b, name + ".branch_pool", conv_spec(192, 1, 1, 0));
  return b.concat(name + ".concat", {b1, b7, bd, bp});
}

// Grid reduction 17 -> 8.
static std::string inception_d(ModelBuilder& b, const std::string& name)
{
  const std::string input = b.last();
  basic_conv(b, name + ".branch3x3_1", conv_spec(192, 1, 1, 0), input);
  const std::string b3 = basic_conv(b, name + ".branch3x3_2", conv_spec(320, 3, 2, 0));
  basic_conv(b, name + ".branch7x7x3_1", conv_spec(192, 1, 1, 0), input);
  basic_conv(b, name + ".branch7x7x3_2", same_conv(192, 1, 7));
  basic_conv(b, name + ".branch7x7x3_3", same_conv(192, 7, 1));
  const std::string b7 = basic_conv(b, name + ".branch7x7x3_4", conv_spec(192, 3, 2, 0));
  const std::string bp = b.max_pool(name + ".branch_pool", 3, 2, 0, false, input);
  return b.concat(name + ".concat", {b3, b7, bp});
}

// A 1x3 and a 3x1 convolution side by side on the same input, concatenated (InceptionE's expanded filter bank).
static std::string split_1x3_3x1(ModelBuilder& b, const std::string& name_a, const std::string& name_b,
                                 const std::string& concat_name)
{
  const std::string input = b.last();
  const std::string a     = basic_conv(b, name_a, same_conv(384, 1, 3), input);
  const std::string c     = basic_conv(b, name_b, same_conv(384, 3, 1), input);
  return b.concat(concat_name, {a, c});
}

// Expanded filter banks at 8x8.
static std::string inception_e(ModelBuilder& b, const std::string& name)
{
  const std::string input = b.last();
  const std::string b1    = basic_conv(b, name + ".branch1x1", conv_spec(320, 1, 1, 0), input);
  basic_conv(b, name + ".branch3x3_1", conv_spec(384, 1, 1, 0), input);
  const std::string b3 = split_1x3_3x1(b, name + ".branch3x3_2a", name + ".branch3x3_2b", name + ".branch3x3");
  basic_conv(b, name + ".branch3x3dbl_1", conv_spec(448, 1, 1, 0), input);
  basic_conv(b, name + ".branch3x3dbl_2", conv_spec(384, 3));
  const std::string bd = split_1x3_3x1(b, name + ".branch3x3dbl_3a", name + ".branch3x3dbl_3b", name + ".branch3x3dbl");
  b.avg_pool(name + ".branch_pool.avg", 3, 1, 1, false, input);
  const std::string bp = basic_conv(b, name + ".branch_pool", conv_spec(192, 1, 1, 0));
  return b.concat(name + ".concat", {b1, b3, bd, bp});
}

Model build_inception_v3(int resolution)
{
  ModelBuilder b("inception_v3", {3, resolution, resolution});
  basic_conv(b, "Conv2d_1a_3x3", conv_spec(32, 3, 2, 0));
  basic_conv(b, "Conv2d_2a_3x3", conv_spec(32, 3, 1, 0));
  basic_conv(b, "Conv2d_2b_3x3", conv_spec(64, 3));
  b.max_pool("maxpool1", 3, 2);
  basic_conv(b, "Conv2d_3b_1x1", conv_spec(80, 1, 1, 0));
  basic_conv(b, "Conv2d_4a_3x3", conv_spec(192, 3, 1, 0));
  b.max_pool("maxpool2", 3, 2);
  inception_a(b, "Mixed_5b", 32);
  inception_a(b, "Mixed_5c", 64);
  inception_a(b, "Mixed_5d", 64);
  inception_b(b, "Mixed_6a");
  inception_c(b, "Mixed_6b", 128);
  inception_c(b, "Mixed_6c", 160);
  inception_c(b, "Mixed_6d", 160);
  inception_c(b, "Mixed_6e", 192);
  inception_d(b, "Mixed_7a");
  inception_e(b, "Mixed_7b");
  inception_e(b, "Mixed_7c");
  b.global_avg_pool("avgpool");
  b.flatten("flatten");
  b.fc("fc", 1000);
  return b.build();
}

} // namespace pipesplit::models
