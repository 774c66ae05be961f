// The execution attributes of data-movement nodes (models/onnx/onnx_attributes_data.cpp), in pipesplit's shapes:
// axes counted without the batch axis when the ONNX tensor starts with 1, with it when it does not (a
// sequence-first export's [T, 1, D]).

#include "models/model_file.hpp"
#include "models/onnx/onnx_import.hpp"
#include "tests/support/onnx_graph_maker.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

using namespace pipesplit;
using namespace pipesplit::core;
using namespace pipesplit::models;

namespace {

// One node reading x [1, 4, 6] (and `extra` initializers), its output y of `out` dims: the imported layer.
Layer one_node(const std::string& op, const std::vector<int64_t>& out,
               const std::function<void(test::GraphMaker&, onnx::NodeProto&)>& extra)
{
  test::GraphMaker g;
  g.input("x", {1, 4, 6});
  extra(g, g.node(op, "node", {"x"}, "y"));
  g.output("y", out);
  const Model model = import_onnx(g.write("data_" + op + ".onnx"));
  REQUIRE(model.layers.size() == 1);
  REQUIRE(model.layers[0].attributes.present);
  return model.layers[0];
}

} // namespace

TEST_CASE("data-movement nodes get their attributes in pipesplit's axes: Transpose's default perm, Slice's negative "
          "step, Pad, Gather's negative index, Concat's constant",
          "[onnx]")
{
  const Layer reversed = one_node("Transpose", {6, 4, 1}, [](test::GraphMaker&, onnx::NodeProto&) {}); // no perm
  CHECK(reversed.attributes.perm == Shape{1, 0, -1}); // [4, 6] -> [6, 4, 1]: the batch axis becomes a new last axis
  const Layer sliced = one_node("Slice", {1, 4, 3}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    for (const auto& [name, value] : {std::pair<std::string, int64_t>{"starts", -1},
                                      {"ends", std::numeric_limits<int64_t>::min()},
                                      {"axes", -1},
                                      {"steps", -2}}) {
      g.int64_initializer(name, {1}, {value});
      n.add_input(name);
    }
  });
  CHECK((sliced.attributes.axis == 1 && sliced.attributes.index == 5 && sliced.attributes.step == -2));
  const Layer padded = one_node("Pad", {1, 5, 9}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    g.int64_initializer("pads", {6}, {0, 1, 2, 0, 0, 1});
    n.add_input("pads");
    test::attribute(n, "mode", onnx::AttributeProto::STRING).set_s("reflect");
  });
  CHECK(padded.attributes.pad_begin == Shape{1, 2});
  CHECK(padded.attributes.pad_end == Shape{0, 1});
  CHECK(padded.attributes.mode == "reflect");
  const Layer gathered = one_node("Gather", {1, 4}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    g.int64_initializer("index", {}, {-1});
    n.add_input("index");
    test::attribute(n, "axis", onnx::AttributeProto::INT).set_i(2);
  });
  CHECK((gathered.attributes.axis == 1 && gathered.attributes.index == 5));
  const Layer joined = one_node("Concat", {1, 5, 6}, [](test::GraphMaker& g, onnx::NodeProto& n) {
    g.float_initializer("token", {1, 1, 6});
    n.clear_input();
    n.add_input("token");
    n.add_input("x");
    test::attribute(n, "axis", onnx::AttributeProto::INT).set_i(1);
  });
  CHECK((joined.attributes.axis == 0 && joined.attributes.index == 0));
  CHECK(joined.attributes.operand_shape == Shape{1, 6});
}

TEST_CASE("a sequence-first export's attributes count the axes its [T, 1, D] tensors keep", "[onnx]")
{
  const Model encoder = import_onnx(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/tiny_encoder_op13.onnx");
  int slices = 0, softmaxes = 0;
  for (const auto& layer : encoder.layers) {
    INFO(layer.name);
    CHECK(layer.attributes.present);
    if (layer.op == "slice") { // q, k, v: along the last axis of [16, 1, 192]
      ++slices;
      CHECK((layer.attributes.axis == 2 && layer.attributes.index % 64 == 0));
    } else if (layer.op == "softmax") { // over the keys, the last axis of [4, 16, 16]
      ++softmaxes;
      CHECK(layer.attributes.axis == 2);
    }
  }
  CHECK(slices == 6);
  CHECK(softmaxes == 2);
  CHECK(encoder.layers.front().attributes.perm == Shape{0, -1, 1}); // [16, 64] -> [16, 1, 64]
}

TEST_CASE("the new attributes (step, pads, mode, perm -1, a concat's or gather's constant) survive a model file "
          "round trip",
          "[onnx]")
{
  const std::string folder = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/";
  for (const auto& file : {"tiny_swin_op17.onnx", "tiny_vit_op13.onnx", "tiny_text_op13.onnx"}) {
    const bool text   = std::string(file) == "tiny_text_op13.onnx";
    const Model model = import_onnx(folder + file, text ? InputShapes{{"ids", {1, 16}}} : InputShapes{});
    const auto path = std::filesystem::temp_directory_path() / (std::string("pipesplit_round_trip_") + file + ".yaml");
    std::ofstream(path) << model_to_yaml(model);
    const Model back = read_model_file(path.string());
    REQUIRE(back.layers.size() == model.layers.size());
    for (size_t i = 0; i < model.layers.size(); ++i) {
      INFO(file << " " << model.layers[i].name);
      CHECK(back.layers[i].attributes == model.layers[i].attributes);
    }
  }
}
