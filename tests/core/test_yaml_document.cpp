// Reading YAML (core/yaml_document.hpp, core/yaml_field.hpp): what yaml-cpp accepts silently or throws as a bug is
// refused as bad input naming the file and line; aliases cannot expand a small file into gigabytes.

#include "core/yaml_field.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace pipesplit;
using namespace pipesplit::core;
using test::error_of;
using test::temp_file;

static std::string load_error(const std::string& name, const std::string& text)
{
  const std::string path = temp_file(name, text);
  return error_of([&] { YamlField::load_file(path); });
}

TEST_CASE("yaml: a repeated key is refused, naming both lines", "[yaml]")
{
  CHECK_THAT(load_error("dup.yaml", "name: a\nrate: 1\nname: b\n"),
             Catch::Contains("dup.yaml:3") && Catch::Contains("duplicate key 'name' (first at line 1)"));
  // Per mapping: the same key in two mappings is fine, quoted or not it is the same key.
  CHECK(load_error("nested.yaml", "a: {x: 1}\nb: {x: 2}\n") == "no error");
  CHECK_THAT(load_error("quoted.yaml", "x: 1\n\"x\": 2\n"), Catch::Contains("duplicate key 'x'"));
}

TEST_CASE("yaml: null, list, mapping and alias keys are refused", "[yaml]")
{
  CHECK_THAT(load_error("null_key.yaml", "a: 1\n~: 2\n"),
             Catch::Contains("null_key.yaml:2") && Catch::Contains("null"));
  CHECK_THAT(load_error("empty_key.yaml", "a: 1\n: 2\n"), Catch::Contains("empty_key.yaml:2"));
  CHECK_THAT(load_error("list_key.yaml", "a: 1\n? [x, y]\n: 2\n"),
             Catch::Contains("list_key.yaml:2") && Catch::Contains("list or mapping used as a key"));
  CHECK_THAT(load_error("map_key.yaml", "{a: 1}: 2\n"), Catch::Contains("list or mapping used as a key"));
  CHECK_THAT(load_error("alias_key.yaml", "a: &k x\n*k : 2\n"), Catch::Contains("alias used as a key"));
  // Null values stay allowed (readers treat them as absent).
  CHECK(load_error("null_value.yaml", "a: ~\nb:\n") == "no error");
}

TEST_CASE("yaml: aliases are bounded by the values they expand to", "[yaml]")
{
  // Level k is a list of ten aliases of level k - 1: it stands for 1 + 10 x (values of level k - 1), 11 at level 0,
  // 111,111 at level 4 (fine), 1,111,111 at level 5 (over max_yaml_values); the file itself is under 1 kB.
  auto bomb = [](int levels) {
    std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int k = 1; k <= levels; ++k) {
      text += "l" + std::to_string(k) + ": &l" + std::to_string(k) + " [";
      for (int i = 0; i < 10; ++i)
        text += (i ? ", *l" : "*l") + std::to_string(k - 1);
      text += "]\n";
    }
    return text;
  };
  CHECK(load_error("aliases_fine.yaml", bomb(4)) == "no error");
  const std::string text = bomb(5);
  REQUIRE(text.size() < 1000);
  CHECK_THAT(load_error("aliases_bomb.yaml", text),
             Catch::Contains("aliases_bomb.yaml:6") && Catch::Contains("more than 1000000 values"));
  // A plain alias is read as the anchored value.
  const auto doc = YamlField::load_file(temp_file("alias.yaml", "a: &v 3\nb: *v\n"));
  CHECK(doc["b"].as_int() == 3);
}

TEST_CASE("yaml: a folder, a missing file and malformed YAML are input errors", "[yaml]")
{
  const auto folder = std::filesystem::temp_directory_path().string();
  CHECK_THAT(error_of([&] { YamlField::load_file(folder); }), Catch::Contains("is a folder, not a file"));
  CHECK_THAT(error_of([] { YamlField::load_file("/nonexistent/x.yaml"); }), Catch::Contains("no such file"));
  CHECK_THAT(load_error("malformed.yaml", "a: [1, 2\n"), Catch::Contains("malformed YAML"));
  // Nesting deep enough to overflow the stack of a recursive reader is refused by yaml-cpp's depth guard.
  CHECK_THAT(load_error("deep.yaml", std::string(100000, '[') + std::string(100000, ']')),
             Catch::Contains("deep.yaml:1") && Catch::Contains("malformed YAML"));
}

TEST_CASE("yaml: names are one line", "[yaml]")
{
  const auto doc = YamlField::load_file(temp_file("names.yaml", "good: resnet18\nbad: \"a\\nb\"\ntab: \"a\\tb\"\n"));
  CHECK(doc["good"].as_line() == "resnet18");
  CHECK_THAT(error_of([&] { doc["bad"].as_line(); }), Catch::Contains("names.yaml:2") && Catch::Contains("'bad'") &&
                                                          Catch::Contains("'a' is followed by code 10"));
  CHECK_THAT(error_of([&] { doc["tab"].as_line(); }), Catch::Contains("code 9"));
}

TEST_CASE("yaml: a file is one document", "[yaml]")
{
  CHECK_THAT(load_error("two.yaml", "a: 1\n---\nb: 2\n"),
             Catch::Contains("two.yaml:2") && Catch::Contains("second YAML document"));
  CHECK(load_error("marked.yaml", "---\na: 1\n...\n") == "no error");
  // Found by the fuzzer: on this input yaml-cpp 0.7 reports empty documents without end (it once took a million of
  // them to stop at the value limit, seconds in the sanitizer build).
  CHECK_THAT(load_error("endless.yaml", std::string("#nc\x03s:\x00" "300\n,  warmmp:\x07\x00 )0\n", 27)),
             Catch::Contains("second YAML document"));
}
