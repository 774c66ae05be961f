// Partitioning does not change the function, and every cut ships exactly the bytes the chain counts.

#include "core/error.hpp"
#include "exec/stage_runner.hpp"
#include "models/model_file.hpp"
#include "tests/exec/stage_checks.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::exec;
using namespace pipesplit::exec::checks;

TEST_CASE("a model run whole or as 2, 3 and 5 stages gives bitwise-identical outputs")
{
  for (const std::string name : {"resnet18", "mobilenet_v2"}) {
    const Model model = load_model(name, 112); // a quarter of the published input's work, the same layers
    for (auto mode : {ChainMode::Blocks, ChainMode::Layers}) {
      const Chain chain = build_chain(model, mode);
      INFO(name << " chain " << to_string(mode));
      const auto whole = run_split(model, chain, {}, 2);
      REQUIRE(whole.size() == 1);
      REQUIRE(whole[0].shape == model.layers.back().output_shape);
      for (int stages : {2, 3, 5}) {
        INFO(stages << " stages");
        const auto split = run_split(model, chain, even_cuts(chain, stages), 2);
        REQUIRE(split.size() == 1);
        CHECK(split[0].data == whole[0].data);
      }
    }
  }
}
