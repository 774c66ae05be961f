// Partitioning does not change the function, and every cut ships exactly the bytes the chain counts.

#include "core/error.hpp"
#include "exec/stage_runner.hpp"
#include "models/model_file.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::exec;

namespace {

// Stages that split the chain at `cuts` (the last block of each stage but the last).
std::vector<Tensor> run_split(const Model& model, const Chain& chain, const std::vector<int>& cuts, int threads)
{
  std::vector<Tensor> tensors{random_input(model, 7)};
  int first              = 0;
  std::vector<int> lasts = cuts;
  lasts.push_back(chain.size() - 1);
  for (int last : lasts) {
    StageRunner stage(model, chain, first, last, {threads, 42});
    double received = 0;
    for (const auto& t : tensors)
      received += t.bytes();
    CHECK(received == chain.input_bytes_of(first));
    CHECK(stage.input_bytes() == chain.input_bytes_of(first));
    tensors     = stage.run(tensors);
    double sent = 0;
    for (const auto& t : tensors)
      sent += t.bytes();
    CHECK(sent == chain.blocks[last].cut_bytes);
    CHECK(stage.output_bytes() == chain.blocks[last].cut_bytes);
    first = last + 1;
  }
  return tensors;
}

std::vector<int> even_cuts(const Chain& chain, int stages)
{
  std::vector<int> cuts;
  for (int s = 1; s < stages; ++s)
    cuts.push_back(s * chain.size() / stages - 1);
  return cuts;
}

} // namespace

TEST_CASE("a model run whole or as 2, 3 and 5 stages gives bitwise-identical outputs")
{
  for (const std::string name : {"resnet18", "mobilenet_v2"}) {
    const Model model = load_model(name);
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
