// ONNX imports execute: the attributes the importer fills are the ones the kernels need; partitioning an imported
// model does not change its function; an op without an executor is refused by name.

#include "core/error.hpp"
#include "exec/kernel.hpp"
#include "exec/stage_runner.hpp"
#include "models/onnx/onnx_import.hpp"
#include "tests/exec/stage_checks.hpp"
#include "tests/support/onnx_graph_maker.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

using namespace pipesplit;
using namespace pipesplit::exec;
using namespace pipesplit::exec::checks;

static std::string onnx_light(const std::string& file)
{
  const auto path = std::filesystem::path(PIPESPLIT_SHARED_DATA_DIR) / "onnx-light" / file;
  return std::filesystem::exists(path) ? path.string() : "";
}

// A checked-in export (tests/data/onnx/), the text model at 16 tokens.
static Model import_export(const std::string& file)
{
  InputShapes options;
  if (file == "tiny_text_op13.onnx")
    options["ids"] = {1, 16};
  return import_onnx(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/" + file, options);
}

TEST_CASE("imported models execute whole and split, bitwise alike: LRN, constant Mul and Add, Transpose included",
          "[onnx]")
{
  const std::string squeezenet = onnx_light("light_squeezenet.onnx");
  if (squeezenet.empty()) {
    WARN("no onnx-light folder in " PIPESPLIT_SHARED_DATA_DIR ": skipped");
    return;
  }
  // AlexNet and Inception v1 have LRN, DenseNet-121 and Inception v2 batch norms as constant Mul and Add,
  // ShuffleNet v1 its channel shuffle's Transpose.
  for (const auto& name :
       {"light_squeezenet.onnx", "light_resnet50.onnx", "light_bvlc_alexnet.onnx", "light_inception_v1.onnx",
        "light_densenet121.onnx", "light_inception_v2.onnx", "light_shufflenet.onnx"}) {
    INFO(name);
    const Model model  = import_onnx(onnx_light(name));
    const Chain chain  = build_chain(model, ChainMode::Blocks);
    const Tensor input = random_input(model, 2);
    const Tensor whole = StageRunner(model, chain, 0, chain.size() - 1, {1, 2}).run(input);
    CHECK(whole.shape == model.layers.back().output_shape);
    CHECK(std::all_of(whole.data.begin(), whole.data.end(), [](float v) { return std::isfinite(v); }));
    const int cut      = chain.size() / 2;
    const Tensor first = StageRunner(model, chain, 0, cut, {1, 2}).run(input);
    CHECK(first.bytes() == chain.blocks[cut].cut_bytes);
    CHECK(StageRunner(model, chain, cut + 1, chain.size() - 1, {1, 2}).run(first).data == whole.data);
  }
  const Model shufflenet =
      import_onnx(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/tiny_shufflenetv2_op13.onnx");
  const Chain chain  = build_chain(shufflenet, ChainMode::Blocks); // its channel split: Slice along the channels
  const Tensor input = random_input(shufflenet, 2);
  const Tensor whole = StageRunner(shufflenet, chain, 0, chain.size() - 1, {1, 2}).run(input);
  CHECK(std::all_of(whole.data.begin(), whole.data.end(), [](float v) { return std::isfinite(v); }));
  for (int cut = 0; cut + 1 < chain.size(); ++cut) {
    INFO("ShuffleNetV2 cut after block " << cut);
    const Tensor first = StageRunner(shufflenet, chain, 0, cut, {1, 2}).run(input);
    CHECK(StageRunner(shufflenet, chain, cut + 1, chain.size() - 1, {1, 2}).run(first).data == whole.data);
  }
}

TEST_CASE("ConvNeXt executes whole and split in 2 stages, bitwise alike: its LayerNorm decomposed (opset 13) or "
          "whole (opset 17), its GELU decomposed",
          "[onnx]")
{
  for (const auto& file : {"tiny_convnext_op13.onnx", "tiny_convnext_op17.onnx"}) {
    INFO(file);
    const Model model  = import_onnx(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/" + file);
    const Chain chain  = build_chain(model, ChainMode::Blocks);
    const Tensor input = random_input(model, 3);
    const Tensor whole = StageRunner(model, chain, 0, chain.size() - 1, {1, 3}).run(input);
    REQUIRE(whole.shape == Shape{10});
    CHECK(std::all_of(whole.data.begin(), whole.data.end(), [](float v) { return std::isfinite(v); }));
    CHECK(std::any_of(whole.data.begin(), whole.data.end(), [](float v) { return v != 0; }));
    for (int cut = 0; cut + 1 < chain.size(); ++cut) {
      INFO("cut after block " << cut);
      const Tensor first = StageRunner(model, chain, 0, cut, {1, 3}).run(input);
      CHECK(first.bytes() == chain.blocks[cut].cut_bytes);
      CHECK(StageRunner(model, chain, cut + 1, chain.size() - 1, {1, 3}).run(first).data == whole.data);
    }
  }
}

// Every layer's kernel made on its own: the layers refused, as "op: reason" (one per op and reason).
static std::set<std::string> refused_ops(const Model& model)
{
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  std::set<std::string> refused;
  for (const auto& layer : model.layers) {
    std::vector<Shape> shapes;
    for (const auto& input : layer.inputs)
      shapes.push_back(input == model.input_name ? model.input_shape
                                                 : model.layers[model.layer_index(input)].output_shape);
    try {
      make_kernel(KernelContext{layer, shapes, engine, 1});
    } catch (const InputError& e) {
      const std::string what = e.what();
      const bool no_executor = what.find("no executor for this op") != std::string::npos;
      const bool attributes  = what.find("gives no op attributes") != std::string::npos;
      refused.insert(layer.op + (no_executor  ? " (no executor)"
                                 : attributes ? " (no attributes from the import)"
                                              : " (a form the executor does not run)"));
    }
  }
  return refused;
}

TEST_CASE("every layer of the ONNX-light zoo and of the checked-in exports has a kernel, except those listed", "[onnx]")
{
  const std::map<std::string, std::set<std::string>> expected = {
      {"light_bvlc_alexnet.onnx", {}}, {"light_densenet121.onnx", {}}, {"light_inception_v1.onnx", {}},
      {"light_inception_v2.onnx", {}}, {"light_resnet50.onnx", {}},    {"light_shufflenet.onnx", {}},
      {"light_squeezenet.onnx", {}},   {"light_vgg19.onnx", {}},       {"light_zfnet512.onnx", {}},
  };
  for (const auto& [file, refused] : expected) {
    const std::string path = onnx_light(file);
    if (path.empty())
      continue;
    INFO(file);
    CHECK(refused_ops(import_onnx(path)) == refused);
  }
  // The transformer exports decompose what the zoo builds as one op (layer norm as ReduceMean, Sub, Pow, Sqrt, Div;
  // GELU as Div, Erf, Add, Mul; attention as MatMul of two activations, Softmax), move a sequence-first batch axis
  // with Transpose, split q / k / v with Slice or Gather, look tokens up with Gather, pad with Pad, prepend a class
  // token with Concat: every layer has a kernel.
  const std::map<std::string, std::set<std::string>> exports = {
      {"tiny_vit_op13.onnx", {}},          {"tiny_vit_op17.onnx", {}},      {"tiny_swin_op17.onnx", {}},
      {"tiny_shufflenetv2_op13.onnx", {}}, {"tiny_encoder_op13.onnx", {}},  {"tiny_text_op13.onnx", {}},
      {"tiny_convnext_op13.onnx", {}},     {"tiny_convnext_op17.onnx", {}},
  };
  for (const auto& [file, refused] : exports) {
    INFO(file);
    CHECK(refused_ops(import_export(file)) == refused);
  }
}

TEST_CASE("the transformer exports run whole and as 2, 3 and 5 stages, bitwise alike, every cut of the chain's size",
          "[onnx]")
{
  for (const auto& file : {"tiny_vit_op13.onnx", "tiny_vit_op17.onnx", "tiny_swin_op17.onnx", "tiny_encoder_op13.onnx",
                           "tiny_text_op13.onnx"}) {
    const Model model = import_export(file);
    for (auto mode : {ChainMode::Blocks, ChainMode::Layers}) {
      INFO(file << " chain " << to_string(mode));
      const Chain chain = build_chain(model, mode);
      const auto whole  = run_split(model, chain, {}, 2);
      REQUIRE(whole.size() == 1);
      REQUIRE(whole[0].shape == model.layers.back().output_shape);
      CHECK(std::all_of(whole[0].data.begin(), whole[0].data.end(), [](float v) { return std::isfinite(v); }));
      CHECK(std::any_of(whole[0].data.begin(), whole[0].data.end(), [](float v) { return v != 0; }));
      for (int stages : {2, 3, 5}) {
        INFO(stages << " stages");
        const auto split = run_split(model, chain, even_cuts(chain, stages), 2);
        REQUIRE(split.size() == 1);
        CHECK(split[0].data == whole[0].data);
      }
    }
  }
}

TEST_CASE("an ONNX node of a form the executor does not run is refused by name: a Slice of two axes, Pad's wrap mode",
          "[onnx]")
{
  const auto refusal = [](const std::string& op, const std::vector<int64_t>& out,
                          const std::function<void(test::GraphMaker&, onnx::NodeProto&)>& extra) {
    test::GraphMaker g;
    g.input("x", {1, 4, 6});
    extra(g, g.node(op, "node", {"x"}, "y"));
    g.output("y", out);
    const Model model = import_onnx(g.write("refused_" + op + ".onnx"));
    try {
      StageRunner(model, build_chain(model, ChainMode::Layers), 0, 0, {1, 1});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("not refused");
  };
  const std::string slice = refusal("Slice", {1, 2, 2}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    for (const auto& [name, values] :
         {std::pair<std::string, std::vector<int64_t>>{"starts", {0, 1}}, {"ends", {2, 3}}, {"axes", {1, 2}}}) {
      g.int64_initializer(name, {2}, values);
      n.add_input(name);
    }
  });
  CHECK_THAT(slice, Catch::Contains("layer 'node' (op slice) cannot be executed") &&
                        Catch::Contains("a form the executor does not run"));
  const std::string pad = refusal("Pad", {1, 4, 7}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    g.int64_initializer("pads", {6}, {0, 0, 0, 0, 0, 1});
    n.add_input("pads");
    test::attribute(n, "mode", onnx::AttributeProto::STRING).set_s("wrap");
  });
  CHECK_THAT(pad, Catch::Contains("layer 'node' (op pad)") && Catch::Contains("pad mode 'wrap' has no executor"));
}
