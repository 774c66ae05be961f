// DAG -> chain: blocks between articulation points (one tensor per cut), or every layer with every crossing tensor.

#include "core/chain.hpp"
#include "models/model_builder.hpp"
#include "models/zoo/zoo.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::models;

// input -> a -> (b, c) -> add -> d: a residual-like diamond. Activations [C, H, W] with 4-byte elements.
static Model diamond()
{
  ModelBuilder builder("diamond", {1, 4, 4});
  builder.conv("a", conv_spec(2, 3));      // [2,4,4] = 128 B
  builder.conv("b", conv_spec(2, 3), "a"); // [2,4,4]
  builder.conv("c", conv_spec(2, 1, 1, 0), "a");
  builder.add("add", {"b", "c"});
  builder.conv("d", conv_spec(3, 3)); // [3,4,4] = 192 B
  return builder.build();
}

TEST_CASE("blocks merge the branches between articulation points", "[chain]")
{
  const Chain chain = build_chain(diamond(), ChainMode::Blocks);
  REQUIRE(chain.size() == 3);
  CHECK(chain.blocks[0].name == "a");
  CHECK(chain.blocks[1].name == "b..add");
  CHECK(chain.blocks[1].first_layer == 1);
  CHECK(chain.blocks[1].last_layer == 3);
  CHECK(chain.blocks[2].name == "d");
  CHECK(chain.blocks[0].cut_bytes == 128); // a's output only
  CHECK(chain.blocks[1].cut_bytes == 128); // add's output
  CHECK(chain.blocks[2].cut_bytes == 192); // the model output, sent to the sink
  CHECK(chain.input_bytes == 64);
}

TEST_CASE("layer chains charge every tensor crossing a cut", "[chain]")
{
  const Model model = diamond();
  const Chain chain = build_chain(model, ChainMode::Layers);
  REQUIRE(chain.size() == 5);
  CHECK(chain.blocks[0].cut_bytes == 128);     // a
  CHECK(chain.blocks[1].cut_bytes == 128 * 2); // after b: b's output and a's (still needed by c)
  CHECK(chain.blocks[2].cut_bytes == 128 * 2); // after c: b and c
  CHECK(chain.blocks[3].cut_bytes == 128);
  double flop = 0;
  for (const auto& layer : model.layers)
    flop += layer.flop;
  CHECK(chain.total_flop() == Approx(flop));
}

TEST_CASE("ResNet-18 in blocks: stem layers, then one block per residual unit", "[chain]")
{
  const Model model = find_zoo_model("resnet18")->build();
  const Chain chain = build_chain(model, ChainMode::Blocks);
  // stem conv, bn, relu, pool: 4 single-layer blocks; 8 residual units; avgpool, flatten, fc.
  // A residual unit's final ReLU is its own block, since only the add's output crosses before it.
  CHECK(chain.size() == 4 + 8 * 2 + 3);
  CHECK(chain.total_flop() == Approx(model.total_flop()));
  for (const auto& block : chain.blocks)
    CHECK(block.cut_bytes > 0);
  // The cut after the stem's pooling ships [64, 56, 56] floats.
  CHECK(chain.blocks[3].cut_bytes == 64 * 56 * 56 * 4);
}
