// Every op of every zoo model executes, and a model without attributes or with an unknown op is refused by name.

#include "core/error.hpp"
#include "exec/stage_runner.hpp"
#include "models/model_file.hpp"
#include "models/zoo/zoo.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace pipesplit;
using namespace pipesplit::exec;

namespace {

bool all_finite(const Tensor& tensor)
{
  for (float value : tensor.data)
    if (!std::isfinite(value))
      return false;
  return true;
}

} // namespace

TEST_CASE("every zoo model runs whole, at a small input where it is resizable")
{
  for (const auto& entry : model_zoo()) {
    INFO(entry.name);
    // The smallest sides the architectures take (Inception-v3 needs 75 pixels, ViT a multiple of 16), to keep
    // the test short; the shapes of every op still come from the builder.
    const int side    = entry.name == "inception_v3" ? 80 : entry.name == "vit_b_16" ? 32 : 64;
    const Model model = entry.build_at ? entry.build_at(side) : entry.build();
    const Chain chain = build_chain(model, ChainMode::Blocks);
    StageRunner runner(model, chain, 0, chain.size() - 1, {2, 3});
    const Tensor out = runner.run(random_input(model, 3));
    CHECK(out.shape == model.layers.back().output_shape);
    CHECK(all_finite(out));
  }
}

TEST_CASE("a layer without attributes or without an executor is refused by name")
{
  Model model                        = load_model("resnet18");
  const Chain chain                  = build_chain(model, ChainMode::Blocks);
  model.layers[3].attributes.present = false;
  REQUIRE_THROWS_WITH(StageRunner(model, chain, 0, chain.size() - 1, {1, 1}),
                      Catch::Contains("layer 'stem.pool'") && Catch::Contains("no op attributes"));
  model.layers[3].attributes.present = true;
  model.layers[3].op                 = "fancy_pool";
  REQUIRE_THROWS_WITH(StageRunner(model, chain, 0, chain.size() - 1, {1, 1}),
                      Catch::Contains("layer 'stem.pool' (op fancy_pool)") && Catch::Contains("no executor"));
  // The layers before it still run on their own.
  CHECK_NOTHROW(StageRunner(model, chain, 0, 0, {1, 1}));
}
