// The README's table of FLOP rules (its "What one FLOP is, per op" section) names exactly the ONNX ops the import
// has a rule for: a rule added without its documentation, or documented without existing, fails here. And the
// reductions' rules.

#include "models/onnx/onnx_import.hpp"
#include "models/onnx/onnx_ops.hpp"
#include "tests/support/onnx_graph_maker.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

using namespace pipesplit;
using namespace pipesplit::models;
using namespace pipesplit::models::onnx_import;

// Op names in the first column of the table's rows: capitalised words (digits allowed: ReduceL2), text in parentheses
// left out.
static std::set<std::string> documented_ops()
{
  std::ifstream readme(std::filesystem::path(PIPESPLIT_SOURCE_DIR) / "README.md");
  REQUIRE(readme);
  std::set<std::string> ops;
  std::string line;
  bool in_table = false;
  const std::regex parenthesised(R"(\([^)]*\))"), name(R"(\b[A-Z][A-Za-z0-9]+\b)");
  while (std::getline(readme, line)) {
    if (line == "| ops | FLOP |")
      in_table = true;
    else if (in_table && (line.empty() || line[0] != '|'))
      break;
    else if (in_table && line.rfind("|---", 0) != 0) {
      const std::string column = std::regex_replace(line.substr(1, line.find('|', 1) - 1), parenthesised, "");
      for (auto it = std::sregex_iterator(column.begin(), column.end(), name); it != std::sregex_iterator(); ++it)
        ops.insert(it->str());
    }
  }
  return ops;
}

TEST_CASE("the README's FLOP table lists every op with a rule, and only those", "[onnx]")
{
  const auto rules = op_types_with_rules();
  const std::set<std::string> implemented(rules.begin(), rules.end());
  const auto documented = documented_ops();
  CHECK(implemented.size() == 73);
  for (const auto& op : implemented) {
    INFO(op << " has a rule");
    CHECK(documented.count(op) == 1);
  }
  for (const auto& op : documented) {
    INFO(op << " is in the README's table");
    CHECK(implemented.count(op) == 1);
  }
}

TEST_CASE("reductions count their input elements: ReduceMean once, ReduceL2 twice (square, sum)", "[onnx]")
{
  for (const auto& [op, flop] : {std::pair<std::string, double>{"ReduceMean", 4 * 8}, {"ReduceL2", 2 * 4 * 8}}) {
    test::GraphMaker g;
    g.input("x", {1, 4, 8});
    auto& axes = test::attribute(g.node(op, "reduce", {"x"}, "y"), "axes", onnx::AttributeProto::INTS);
    axes.add_ints(2);
    g.output("y", {1, 4, 1});
    const Model model = import_onnx(g.write("reduce.onnx"));
    REQUIRE(model.layers.size() == 1);
    CHECK(model.layers[0].flop == flop);
    CHECK(model.layers[0].output_shape == Shape{4, 1});
  }
}
