// model_resolution: resizable zoo models rebuilt at another input size, against torchvision's figures.

#include "core/error.hpp"
#include "models/model_file.hpp"
#include "models/zoo/zoo.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::test;
using namespace pipesplit::models;

TEST_CASE("model_resolution rebuilds a resizable zoo model; fixed-size ones refuse", "[measurements][zoo]")
{
  const Model big = load_model("resnet50", 448);
  CHECK(big.input_shape == Shape{3, 448, 448});
  CHECK(big.total_macs() == Approx(4 * find_zoo_model("resnet50")->build().total_macs()).epsilon(0.01));
  CHECK(big.total_params() == find_zoo_model("resnet50")->build().total_params());
  CHECK(load_model("yolov2", 608).layers.back().output_shape == Shape{425, 19, 19});
  CHECK_THAT(error_of([] { load_model("bert_base", 320); }), Catch::Contains("input size is fixed"));
  CHECK_THAT(error_of([] { load_model("yolov2", 400); }), Catch::Contains("do not fit")); // not a multiple of 32
}

TEST_CASE("model_resolution for VGG-16 (adaptive pool) and ViT-B/16 (token count)", "[measurements][zoo]")
{
  // VGG-16 at 448: every convolution does 4x the work, the features come out 14x14 and torchvision's adaptive pool
  // averages 2x2 bins down to the classifier's 7x7, whose weights and work do not change.
  const Model vgg224 = load_model("vgg16", 0);
  const Model vgg448 = load_model("vgg16", 448);
  auto conv_macs     = [](const Model& m) {
    double macs = 0;
    for (const auto& layer : m.layers)
      macs += layer.op == "conv" ? layer.macs : 0;
    return macs;
  };
  CHECK(conv_macs(vgg448) == Approx(4 * conv_macs(vgg224)).epsilon(1e-12));
  CHECK(vgg448.total_macs() - conv_macs(vgg448) == Approx(vgg224.total_macs() - conv_macs(vgg224)).epsilon(1e-12));
  CHECK(vgg448.total_params() == vgg224.total_params());
  const Layer& pool448 = vgg448.layers[vgg448.layers.size() - 7]; // before flatten and the classifier's six layers
  CHECK(pool448.name == "avgpool");
  CHECK(pool448.output_shape == Shape{512, 7, 7});
  CHECK(pool448.flop == 512 * 14 * 14);
  // At 320 the features are 10x10 and PyTorch's bins overlap: rows [0,2) [1,3) [2,5) [4,6) [5,8) [7,9) [8,10),
  // 16 reads per axis.
  const Model vgg320 = load_model("vgg16", 320);
  CHECK(vgg320.layers[vgg320.layers.size() - 7].flop == 512 * 16 * 16);
  // ViT-B/16 at 384, as torchvision's vit_b_16 with image_size 384 (the IMAGENET1K_SWAG_E2E_V1 weights): 577 tokens,
  // 86,859,496 parameters (the positional table grows by 380 rows of 768), 55.48 GMAC.
  const Model vit384 = load_model("vit_b_16", 384);
  CHECK(vit384.total_params() == 86859496);
  CHECK(vit384.total_macs() == Approx(55.484e9).epsilon(2e-3));
  CHECK_THAT(error_of([] { load_model("vit_b_16", 200); }), Catch::Contains("multiple of the 16-pixel patch"));
}
