// ONNX import of transformers and today's CNNs: small PyTorch exports (tests/data/onnx, made by make_exports.py)
// against the figures PyTorch computed for them, --input for a text model's sequence length against the closed
// form, Split outputs as parts a cut ships separately, Einsum's MAC from its equation, and malformed files.

#include "core/chain.hpp"
#include "core/error.hpp"
#include "models/model_file.hpp"
#include "models/onnx/onnx_import.hpp"
#include "models/zoo/zoo.hpp"
#include "tests/support/onnx_graph_maker.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

using namespace pipesplit;
using namespace pipesplit::models;
using namespace pipesplit::test;
namespace fs = std::filesystem;

static const fs::path exports_folder = fs::path(PIPESPLIT_SOURCE_DIR) / "tests" / "data" / "onnx";

static nlohmann::json reference(const std::string& name)
{
  std::ifstream in(exports_folder / (name + ".json"));
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

static std::multiset<double> cut_bytes(const Model& model, ChainMode mode)
{
  std::multiset<double> cuts;
  for (const auto& block : build_chain(model, mode).blocks)
    cuts.insert(block.cut_bytes);
  return cuts;
}

TEST_CASE("small PyTorch exports import with PyTorch's MACs, parameters, output shape and block cuts", "[onnx]")
{
  // ViT (class token expanded to a shape made through Where / Equal), Swin (Pad, roll, masks at opset 17),
  // ShuffleNetV2 (chunk: Slice ends through Shape -> Gather -> Add -> Div -> Mul, Split) and nn.TransformerEncoder.
  // ConvNeXt: LayerNorm over channels, at opset 13 decomposed into ReduceMean, Sub, Pow, Sqrt, Div.
  for (const std::string name : {"tiny_vit_op13", "tiny_vit_op17", "tiny_swin_op17", "tiny_shufflenetv2_op13",
                                 "tiny_encoder_op13", "tiny_text_op13", "tiny_convnext_op13", "tiny_convnext_op17"}) {
    DYNAMIC_SECTION(name)
    {
      const auto figures = reference(name);
      const Shape input  = figures["input_shape"].get<Shape>();
      InputShapes sizes; // the text model's sequence length is symbolic
      if (name == "tiny_text_op13")
        sizes["ids"] = input;
      const Model model = import_onnx((exports_folder / (name + ".onnx")).string(), sizes);
      CHECK(model.total_macs() == figures["macs"].get<double>());
      // The export folds batch norms into convolutions and precomputes Swin's position bias and masks: the script
      // derives what it keeps from the modules (exported_params) next to PyTorch's own count.
      CHECK(model.total_params() == figures["exported_params"].get<double>());
      const Shape output = figures["output_shape"].get<Shape>();
      CHECK(model.layers.back().output_shape == Shape(output.begin() + 1, output.end()));
      CHECK(model.dtype_bytes == 4);
      // Each block's output is where the blocks chain cuts, with the block's output bytes, and nothing else crosses.
      const auto cuts = cut_bytes(model, ChainMode::Blocks);
      for (double bytes : figures["cuts"].get<std::vector<double>>()) {
        INFO("a cut of " << bytes << " bytes");
        CHECK(cuts.count(bytes) > 0);
      }
    }
  }
}

static std::set<double> distinct(const std::multiset<double>& values)
{
  return std::set<double>(values.begin(), values.end());
}

TEST_CASE("ConvNeXt with LayerNorm decomposed (opset 13) equals its opset-17 import", "[onnx]")
{
  const Model op13 = import_onnx((exports_folder / "tiny_convnext_op13.onnx").string());
  const Model op17 = import_onnx((exports_folder / "tiny_convnext_op17.onnx").string());
  const auto count = [](const Model& model, const std::string& op) {
    return std::count_if(model.layers.begin(), model.layers.end(), [&](const Layer& l) { return l.op == op; });
  };
  // Stem, two downsampling norms... : every nn.LayerNorm and LayerNorm2d of the model (6), one layer at opset 17,
  // nine at 13 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add).
  REQUIRE(count(op17, "layernorm") == 6);
  CHECK(count(op13, "layernorm") == 0);
  CHECK(op13.layers.size() == op17.layers.size() + 6 * 8);
  CHECK(op13.total_macs() == op17.total_macs());
  CHECK(op13.total_macs() == reference("tiny_convnext_op13")["macs"].get<double>());
  CHECK(op13.total_params() == op17.total_params());
  CHECK(op13.total_param_bytes() == op17.total_param_bytes());
  CHECK(op13.layers.back().output_shape == op17.layers.back().output_shape);
  // The decomposition adds cuts inside each norm (after its Div and its scale), of the norm's output bytes: the
  // same sizes, more places.
  CHECK(distinct(cut_bytes(op13, ChainMode::Blocks)) == distinct(cut_bytes(op17, ChainMode::Blocks)));
}

// Per encoder layer of width E, feed-forward F, L tokens: Q, K, V and output projections 4 L E^2, Q K^T and A V
// 2 L^2 E, the feed-forward 2 L E F (nn.TransformerEncoderLayer as make_exports.py counts it).
static double encoder_macs(double layers, double tokens, double width, double feed_forward)
{
  return layers * (4 * tokens * width * width + 2 * tokens * tokens * width + 2 * tokens * width * feed_forward);
}

TEST_CASE("a text model's sequence length is set by --input, its ids are int64 and its activations float32", "[onnx]")
{
  const std::string path = (exports_folder / "tiny_text_op13.onnx").string();
  const Model short_text = import_onnx(path, {{"ids", {1, 16}}});
  CHECK(short_text.total_macs() == encoder_macs(2, 16, 64, 128));
  CHECK(short_text.total_macs() == reference("tiny_text_op13")["macs"].get<double>());
  const Model long_text = import_onnx(path, {{"ids", {1, 128}}});
  CHECK(long_text.total_macs() == encoder_macs(2, 128, 64, 128));
  CHECK(long_text.input_shape == Shape{128});
  CHECK(long_text.input_bytes == 128 * 8);
  CHECK(long_text.dtype_bytes == 4);
  CHECK(long_text.layers.back().output_bytes == 128 * 64 * 4);
  CHECK(long_text.total_params() == reference("tiny_text_op13")["params"].get<double>()); // embeddings included

  CHECK_THROWS_WITH(import_onnx(path), Catch::Contains("input ids") && Catch::Contains("[1, ?]"));
  CHECK_THROWS_WITH(import_onnx(path, {{"tokens", {1, 16}}}), Catch::Contains("'ids', not 'tokens'"));
  CHECK_THROWS_WITH(import_onnx(path, {{"ids", {1, 16, 2}}}), Catch::Contains("has 2 dimensions"));
  CHECK_THROWS_WITH(import_onnx(path, {{"ids", {2, 16}}}), Catch::Contains("dimension 0 is 1"));
}

TEST_CASE("a cut after a Split ships only the parts read after it", "[onnx][chain]")
{
  // x [16, 8, 8] splits into two halves of 8 x 8 x 8 floats (2,048 bytes); the first goes through two ReLUs, the
  // second waits for the Concat. Every cut carries exactly two 2,048-byte tensors, never the whole Split output.
  GraphMaker g;
  g.input("x", {1, 16, 8, 8});
  auto& split = g.node("Split", "split", {"x"}, "first");
  split.add_output("second");
  attribute(split, "axis", onnx::AttributeProto::INT).set_i(1);
  g.node("Relu", "a", {"first"}, "a_out");
  g.node("Relu", "b", {"a_out"}, "b_out");
  attribute(g.node("Concat", "concat", {"b_out", "second"}, "y"), "axis", onnx::AttributeProto::INT).set_i(1);
  g.output("y", {1, 16, 8, 8});
  const Model model = import_onnx(g.write("split_parts.onnx"));
  REQUIRE(model.layers.size() == 4);
  CHECK(model.layers[0].output_bytes == 4096);
  REQUIRE(model.layers[0].output_parts.size() == 2);
  CHECK(model.layers[0].output_parts[0].readers == std::vector<std::string>{"a"});
  CHECK(model.layers[0].output_parts[1].readers == std::vector<std::string>{"concat"});
  CHECK(cut_bytes(model, ChainMode::Layers) == std::multiset<double>{4096, 4096, 4096, 4096});
  // The blocks chain cuts where one layer's output crosses: after the Split, with both parts.
  CHECK(cut_bytes(model, ChainMode::Blocks) == std::multiset<double>{4096, 4096});

  // The parts survive the model file.
  const auto file = fs::temp_directory_path() / "pipesplit_split_parts.yaml";
  write_model_file(model, file.string());
  const Model reread = read_model_file(file.string());
  REQUIRE(reread.layers[0].output_parts.size() == 2);
  CHECK(reread.layers[0].output_parts[1].bytes == 2048);
  CHECK(reread.layers[0].output_parts[1].readers == std::vector<std::string>{"concat"});
  CHECK(cut_bytes(reread, ChainMode::Layers) == cut_bytes(model, ChainMode::Layers));
}

TEST_CASE("Einsum counts output elements x the contracted letters' sizes", "[onnx]")
{
  // Attention scores as bhid,bhjd->bhij: 2 heads x 4 queries x 5 keys, each a dot product of 8.
  // PyTorch writes MaxViT's with spaces and capitals, where ONNX 1.12's inference gives no output shape.
  for (const std::string equation : {"bhid,bhjd->bhij", "...id,...jd->...ij", "B H I D, B H J D -> B H I J"}) {
    GraphMaker g(17);
    g.input("q", {1, 2, 4, 8});
    g.float_initializer("k", {1, 2, 5, 8});
    auto& einsum = g.node("Einsum", "scores", {"q", "k"}, "s");
    attribute(einsum, "equation", onnx::AttributeProto::STRING).set_s(equation);
    g.output("s", {1, 2, 4, 5});
    const Model model = import_onnx(g.write("einsum.onnx"));
    REQUIRE(model.layers.size() == 1);
    CHECK(model.layers[0].macs == 2 * 4 * 5 * 8);
    CHECK(model.layers[0].output_shape == Shape{2, 4, 5});
  }
}

TEST_CASE("scalar constants are no parameters", "[onnx]")
{
  // GELU as PyTorch decomposes it: x * 0.5 * (1 + erf(x / sqrt 2)); only the matrix is a weight.
  GraphMaker g;
  g.input("x", {1, 4, 8});
  g.float_initializer("w", {8, 8});
  g.float_initializer("half", {});
  g.float_initializer("one", {1});
  g.float_initializer("root2", {});
  g.node("MatMul", "fc", {"x", "w"}, "h");
  g.node("Div", "div", {"h", "root2"}, "d");
  g.node("Erf", "erf", {"d"}, "e");
  g.node("Add", "add", {"e", "one"}, "a");
  g.node("Mul", "mul", {"h", "a"}, "m");
  g.node("Mul", "mul_half", {"m", "half"}, "y");
  g.output("y", {1, 4, 8});
  const Model model = import_onnx(g.write("gelu.onnx"));
  CHECK(model.total_params() == 64);
  CHECK(model.total_param_bytes() == 64 * 4);
}

static std::string import_error(const std::string& path)
{
  try {
    import_onnx(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("malformed ONNX files are input errors naming what is wrong, never crashes", "[onnx][errors]")
{
  GraphMaker conv; // ONNX 1.12's Conv inference divides by the stride
  conv.input("x", {1, 3, 8, 8});
  conv.float_initializer("w", {4, 3, 3, 3});
  auto& strides = attribute(conv.node("Conv", "conv", {"x", "w"}, "y"), "strides", onnx::AttributeProto::INTS);
  strides.add_ints(0);
  strides.add_ints(0);
  conv.output("y", {1, 4, 6, 6});
  CHECK_THAT(import_error(conv.write("zero_stride_conv.onnx")),
             Catch::Contains("node 'conv' (Conv)") && Catch::Contains("'strides' has 0"));

  GraphMaker pool;
  pool.input("x", {1, 3, 8, 8});
  auto& max_pool = pool.node("MaxPool", "pool", {"x"}, "y");
  auto& kernel   = attribute(max_pool, "kernel_shape", onnx::AttributeProto::INTS);
  kernel.add_ints(2);
  kernel.add_ints(2);
  auto& pool_strides = attribute(max_pool, "strides", onnx::AttributeProto::INTS);
  pool_strides.add_ints(2);
  pool_strides.add_ints(0);
  pool.output("y", {1, 3, 4, 4});
  CHECK_THAT(import_error(pool.write("zero_stride_pool.onnx")),
             Catch::Contains("node 'pool' (MaxPool)") && Catch::Contains("'strides' has 0"));

  GraphMaker truncated; // raw data shorter than its dimensions: ONNX's inference would read past its end
  truncated.input("x", {1, 8});
  truncated.float_initializer("w", {8, 1000}).set_raw_data(std::string(100, '\0'));
  truncated.node("MatMul", "fc", {"x", "w"}, "y");
  truncated.output("y", {1, 1000});
  CHECK_THAT(import_error(truncated.write("truncated.onnx")),
             Catch::Contains("initializer 'w'") && Catch::Contains("100 bytes") && Catch::Contains("32000 bytes"));

  GraphMaker gather; // shape arithmetic that indexes past the shape
  gather.input("x", {1, 4});
  gather.node("Shape", "shape", {"x"}, "s");
  gather.int64_initializer("five", {1}, {5});
  gather.node("Gather", "pick", {"s", "five"}, "d");
  gather.node("Reshape", "reshape", {"x", "d"}, "y");
  gather.output("y", {4});
  CHECK_THAT(import_error(gather.write("gather_past_shape.onnx")),
             Catch::Contains("node 'pick' (Gather)") && Catch::Contains("index 5 out of range"));

  GraphMaker echo; // an output that is the input itself
  echo.input("x", {1, 8});
  echo.node("Relu", "relu", {"x"}, "y");
  echo.output("y", {1, 8});
  echo.output("x", {1, 8});
  CHECK_THAT(import_error(echo.write("echo.onnx")),
             Catch::Contains("graph output 'x'") && Catch::Contains("is a graph input"));
}

TEST_CASE("a chain of 2,000 Shape -> Reshape folds in one pass", "[onnx]")
{
  GraphMaker g;
  g.input("x0", {1, 4, 16});
  const int links = 2000;
  for (int i = 0; i < links; ++i) {
    const std::string x = "x" + std::to_string(i), y = "y" + std::to_string(i);
    g.node("Relu", "relu" + std::to_string(i), {x}, y);
    g.node("Shape", "shape" + std::to_string(i), {y}, "s" + std::to_string(i));
    g.node("Reshape", "reshape" + std::to_string(i), {y, "s" + std::to_string(i)}, "x" + std::to_string(i + 1));
  }
  g.output("x" + std::to_string(links), {1, 4, 16});
  const Model model = import_onnx(g.write("shape_chain.onnx"));
  REQUIRE(model.layers.size() == 2 * links);
  for (const auto& layer : model.layers)
    CHECK(layer.output_shape == Shape{4, 16});
}

// Full-size exports (make_exports.py --large FOLDER: 350 MB, not checked in) in the folder PIPESPLIT_LARGE_ONNX
// names; skipped without it.
static std::optional<fs::path> large_export(const std::string& name)
{
  const char* folder = std::getenv("PIPESPLIT_LARGE_ONNX");
  if (folder == nullptr || !fs::exists(fs::path(folder) / name)) {
    WARN("PIPESPLIT_LARGE_ONNX names no folder with " << name << ": skipped");
    return std::nullopt;
  }
  return fs::path(folder) / name;
}

struct LayerFigures {
  double macs   = 0;
  double params = 0;
  double flop   = 0;
};

// Figures summed per encoder layer: layers whose name holds `marker` followed by the layer's index and `end`.
static std::vector<LayerFigures> per_encoder_layer(const Model& model, const std::string& marker,
                                                   const std::string& end, int count)
{
  std::vector<LayerFigures> figures(count);
  for (const auto& layer : model.layers)
    for (int i = 0; i < count; ++i)
      if (layer.name.find(marker + std::to_string(i) + end) != std::string::npos) {
        figures[i].macs += layer.macs;
        figures[i].params += layer.params;
        figures[i].flop += layer.flop;
      }
  return figures;
}

TEST_CASE("the imported ViT-B/16 equals the zoo's vit_b_16 layer by layer", "[onnx][large]")
{
  const auto path = large_export("vit_b_16_op17.onnx");
  if (!path)
    return;
  const Model imported = import_onnx(path->string());
  const Model zoo      = find_zoo_model("vit_b_16")->build();
  CHECK(imported.total_macs() == zoo.total_macs());
  CHECK(imported.total_params() == zoo.total_params());
  const auto ours   = per_encoder_layer(imported, "encoder_layer_", "/", 12);
  const auto theirs = per_encoder_layer(zoo, "encoder.layer", ".", 12);
  for (int i = 0; i < 12; ++i) {
    INFO("encoder layer " << i);
    CHECK(ours[i].macs > 0);
    CHECK(ours[i].macs == theirs[i].macs);
    CHECK(ours[i].params == theirs[i].params);
  }
}

TEST_CASE("a BERT-base-shaped nn.TransformerEncoder equals the zoo's bert_base encoder", "[onnx][large]")
{
  const auto path = large_export("bert_base_encoder_op13.onnx");
  if (!path)
    return;
  const Model imported = import_onnx(path->string());
  const Model zoo      = find_zoo_model("bert_base")->build();
  const auto ours      = per_encoder_layer(imported, "/layers.", "/", 12);
  const auto theirs    = per_encoder_layer(zoo, "encoder.layer", ".", 12);
  for (int i = 0; i < 12; ++i) {
    INFO("encoder layer " << i);
    CHECK(ours[i].macs > 0);
    CHECK(ours[i].macs == theirs[i].macs);
    CHECK(ours[i].params == theirs[i].params);
  }
}

// make_exports.py --torchvision FOLDER writes NAME.onnx and NAME.json (the hook-based MACs, or why the exporter
// refused), models over 2 GB in FOLDER/NAME/ with their weights in side files; every one found under
// PIPESPLIT_LARGE_ONNX imports with the reference's MACs and output shape.
TEST_CASE("every torchvision export under PIPESPLIT_LARGE_ONNX imports with its hook-based MACs", "[onnx][large]")
{
  const char* folder = std::getenv("PIPESPLIT_LARGE_ONNX");
  if (folder == nullptr || !fs::is_directory(folder)) {
    WARN("PIPESPLIT_LARGE_ONNX names no folder: skipped");
    return;
  }
  int imported = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const fs::path model = fs::path(entry.path()).replace_extension(".onnx");
    if (entry.path().extension() != ".json" || !fs::exists(model))
      continue;
    std::ifstream in(entry.path());
    const auto figures = nlohmann::json::parse(in);
    INFO(model.string());
    const Model ours = import_onnx(model.string());
    CHECK(ours.total_macs() == figures["macs"].get<double>());
    const Shape output = figures["output_shape"].get<Shape>();
    CHECK(ours.layers.back().output_shape == Shape(output.begin() + 1, output.end()));
    ++imported;
  }
  WARN(imported << " exports imported from " << folder);
}
