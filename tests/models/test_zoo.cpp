// The zoo's totals against published figures (see ZooEntry::reference): within 2%.

#include "models/zoo/zoo.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::models;

TEST_CASE("every zoo model matches its published MAC and parameter totals within 2%", "[zoo]")
{
  for (const auto& entry : model_zoo()) {
    INFO(entry.name << " (" << entry.reference << ")");
    const Model model = entry.build();
    CHECK(model.name == entry.name);
    CHECK(model.total_macs() == Approx(entry.published_macs).epsilon(0.02));
    CHECK(model.total_params() == Approx(entry.published_params).epsilon(0.02));
    CHECK_NOTHROW(model.validate());
  }
}

TEST_CASE("ResNet-18 and MobileNetV2 hit the issue's figures", "[zoo]")
{
  const Model resnet18 = find_zoo_model("resnet18")->build();
  CHECK(resnet18.total_macs() == Approx(1.82e9).epsilon(0.02));
  CHECK(resnet18.total_params() == Approx(11.69e6).epsilon(0.02));
  CHECK(resnet18.layers.back().output_shape == Shape{1000});
  CHECK(resnet18.input_bytes == 3 * 224 * 224 * 4);

  const Model mobilenet = find_zoo_model("mobilenet_v2")->build();
  CHECK(mobilenet.total_macs() == Approx(0.30e9).epsilon(0.02));
  CHECK(mobilenet.total_params() == Approx(3.50e6).epsilon(0.02));
}

TEST_CASE("shape inference follows the convolution arithmetic", "[zoo]")
{
  const Model resnet18 = find_zoo_model("resnet18")->build();
  const auto& stem     = resnet18.layers.at(resnet18.layer_index("stem.conv"));
  CHECK(stem.output_shape == Shape{64, 112, 112});
  // 64 filters of 3x7x7 over 112x112 outputs, no bias
  CHECK(stem.macs == 64.0 * 112 * 112 * 3 * 7 * 7);
  CHECK(stem.flop == 2 * stem.macs);
  CHECK(stem.params == 64 * 3 * 7 * 7);
  CHECK(stem.output_bytes == 64 * 112 * 112 * 4);
  CHECK(resnet18.layers.at(resnet18.layer_index("stem.pool")).output_shape == Shape{64, 56, 56});

  const Model mobilenet = find_zoo_model("mobilenet_v2")->build();
  const auto& depthwise = mobilenet.layers.at(mobilenet.layer_index("block2.dw.conv"));
  // 96 channels (16 x 6), one 3x3 filter each, stride 2: 112 -> 56
  CHECK(depthwise.output_shape == Shape{96, 56, 56});
  CHECK(depthwise.macs == 96.0 * 56 * 56 * 9);
  CHECK(depthwise.params == 96 * 9);
}
