// ONNX imports execute: the attributes the importer fills are the ones the kernels need; partitioning an imported
// model does not change its function; an op without an executor is refused by name.

#include "exec/stage_runner.hpp"
#include "models/onnx/onnx_import.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace pipesplit;
using namespace pipesplit::exec;

static std::string onnx_light(const std::string& file)
{
  const auto path = std::filesystem::path(PIPESPLIT_SHARED_DATA_DIR) / "onnx-light" / file;
  return std::filesystem::exists(path) ? path.string() : "";
}

TEST_CASE("imported SqueezeNet and ResNet-50 execute, whole and split; AlexNet's LRN is refused by name", "[onnx]")
{
  const std::string squeezenet = onnx_light("light_squeezenet.onnx");
  if (squeezenet.empty()) {
    WARN("no onnx-light folder in " PIPESPLIT_SHARED_DATA_DIR ": skipped");
    return;
  }
  for (const auto& file : {squeezenet, onnx_light("light_resnet50.onnx")}) {
    INFO(file);
    const Model model  = import_onnx(file);
    const Chain chain  = build_chain(model, ChainMode::Blocks);
    const Tensor input = random_input(model, 2);
    const Tensor whole = StageRunner(model, chain, 0, chain.size() - 1, {1, 2}).run(input);
    CHECK(whole.shape == model.layers.back().output_shape);
    const int cut      = chain.size() / 2;
    const Tensor first = StageRunner(model, chain, 0, cut, {1, 2}).run(input);
    CHECK(first.bytes() == chain.blocks[cut].cut_bytes);
    CHECK(StageRunner(model, chain, cut + 1, chain.size() - 1, {1, 2}).run(first).data == whole.data);
  }
  const Model alexnet = import_onnx(onnx_light("light_bvlc_alexnet.onnx"));
  const Chain chain   = build_chain(alexnet, ChainMode::Blocks);
  CHECK_THROWS_WITH(StageRunner(alexnet, chain, 0, chain.size() - 1, {1, 2}),
                    Catch::Contains("(op lrn)") && Catch::Contains("no executor"));
}
