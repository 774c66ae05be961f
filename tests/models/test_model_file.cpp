// The model file format: what is written reads back identically; bad files are refused with the field and line.

#include "core/error.hpp"
#include "models/model_file.hpp"
#include "models/zoo/zoo.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::models;

static std::string temp_file(const std::string& name, const std::string& text)
{
  const auto path = std::filesystem::temp_directory_path() / ("pipesplit_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST_CASE("a zoo model survives a round trip through its file", "[model_file]")
{
  Model model = find_zoo_model("mobilenet_v2")->build();
  model.profiles["pi4"].push_back({"stem.conv", 4, 0.0125, 20});
  const std::string path = temp_file("mnv2.yaml", model_to_yaml(model));
  const Model back       = read_model_file(path);
  CHECK(back.name == model.name);
  REQUIRE(back.layers.size() == model.layers.size());
  for (size_t i = 0; i < model.layers.size(); ++i) {
    CHECK(back.layers[i].name == model.layers[i].name);
    CHECK(back.layers[i].inputs == model.layers[i].inputs);
    CHECK(back.layers[i].flop == model.layers[i].flop);
    CHECK(back.layers[i].output_shape == model.layers[i].output_shape);
    CHECK(back.layers[i].output_bytes == model.layers[i].output_bytes);
    CHECK(back.layers[i].param_bytes == model.layers[i].param_bytes);
    CHECK(back.layers[i].attributes == model.layers[i].attributes);
  }
  REQUIRE(back.profiles.at("pi4").size() == 1);
  CHECK(back.profiles.at("pi4")[0].seconds == 0.0125);
  CHECK(model_to_yaml(back) == model_to_yaml(model));
}

static std::string error_of(const std::string& name, const std::string& text)
{
  try {
    read_model_file(temp_file(name, text));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("bad model files name the field and line", "[model_file][errors]")
{
  const std::string head = "name: m\ninput: {shape: [4]}\nlayers:\n";
  CHECK_THAT(error_of("syntax.yaml", "name: [m\n"), Catch::Contains("malformed YAML"));
  CHECK_THAT(error_of("unknown_input.yaml", head + "  - {name: a, op: fc, inputs: [x], output_shape: [2]}\n"),
             Catch::Contains("unknown_input.yaml") && Catch::Contains("'x' is not the model input"));
  CHECK_THAT(error_of("negative.yaml", head + "  - {name: a, op: fc, inputs: [input], flop: -3, output_shape: [2]}\n"),
             Catch::Contains("negative.yaml:4") && Catch::Contains("layers[0].flop") && Catch::Contains(">= 0"));
  CHECK_THAT(error_of("typo.yaml", head + "  - {name: a, op: fc, inputs: [input], flops: 3, output_shape: [2]}\n"),
             Catch::Contains("layers[0].flops") && Catch::Contains("unknown key"));
  CHECK_THAT(error_of("profile.yaml", head + "  - {name: a, op: fc, inputs: [input], output_shape: [2]}\n" +
                                          "profiles:\n  pi4:\n    - {layer: nope, seconds: 0.1}\n"),
             Catch::Contains("layer 'nope' is not in the model"));
  CHECK_THAT(error_of("duration.yaml", head + "  - {name: a, op: fc, inputs: [input], output_shape: [2]}\n" +
                                           "profiles:\n  pi4:\n    - {layer: a, seconds: -0.1}\n"),
             Catch::Contains("duration.yaml:7") && Catch::Contains("duration must be >= 0"));
  CHECK_THAT(error_of("missing.yaml", "name: m\nlayers: []\n"),
             Catch::Contains("field 'input'") && Catch::Contains("missing"));
}

TEST_CASE("the op attributes of every zoo model survive a round trip; a file without them reads as figures only",
          "[model_file]")
{
  for (const auto& entry : model_zoo()) {
    const Model model = entry.build();
    const Model back  = read_model_file(temp_file(entry.name + "_attributes.yaml", model_to_yaml(model)));
    for (size_t i = 0; i < model.layers.size(); ++i) {
      INFO(entry.name << " " << model.layers[i].name);
      CHECK(model.layers[i].attributes.present);
      CHECK(back.layers[i].attributes == model.layers[i].attributes);
    }
  }
  const Model plain = read_model_file(PIPESPLIT_SOURCE_DIR "/tests/data/tiny_model.yaml");
  for (const auto& layer : plain.layers)
    CHECK_FALSE(layer.attributes.present);
  const std::string bad = temp_file("bad_attributes.yaml", R"(format: pipesplit-model/1
name: bad
input: {shape: [3, 8, 8]}
layers:
  - {name: c, op: conv, inputs: [input], macs: 10, output_shape: [4, 8, 8], attributes: {kernel: [3]}}
)");
  REQUIRE_THROWS_WITH(read_model_file(bad), Catch::Contains("bad_attributes.yaml:5") &&
                                                Catch::Contains("layers[0].attributes.kernel") &&
                                                Catch::Contains("needs 2 values"));
}
