// Constant folding of shape arithmetic (models/onnx/onnx_constant_folding.hpp) against values worked out by hand
// from the ONNX operator specification.

#include "models/onnx/onnx_constant_folding.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace pipesplit;
using namespace pipesplit::models::onnx_import;

namespace {

Value int64s(core::Shape dims, std::vector<int64_t> values)
{
  return Value::integers(onnx::TensorProto_DataType_INT64, std::move(dims), std::move(values));
}

Value vector(std::vector<int64_t> values)
{
  const auto n = static_cast<int64_t>(values.size());
  return int64s({n}, std::move(values));
}

// Folds a node of `op` on constant inputs (nullptr: an omitted input) at opset 13, its one output.
Value fold(const std::string& op, const std::vector<const Value*>& inputs,
           const std::vector<std::pair<std::string, int64_t>>& attributes = {})
{
  onnx::NodeProto node;
  node.set_op_type(op);
  std::vector<FoldingInput> folding;
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.add_input(inputs[i] ? "in" + std::to_string(i) : "");
    folding.push_back({inputs[i], inputs[i] ? &inputs[i]->dims : nullptr});
  }
  node.add_output("out");
  for (const auto& [name, value] : attributes) {
    auto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INT);
    attribute->set_i(value);
  }
  auto outputs = fold_node(node, folding, 13);
  REQUIRE(outputs);
  REQUIRE(outputs->size() == 1);
  return outputs->front();
}

} // namespace

TEST_CASE("Slice clamps INT64 bounds and walks negative steps", "[onnx][folding]")
{
  const Value digits = vector({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const Value one = vector({1}), big = vector({std::numeric_limits<int64_t>::max()});
  CHECK(fold("Slice", {&digits, &one, &big}).ints == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  // From 8 down past the start, every third: 8, 5, 2.
  const Value eight = vector({8}), small = vector({std::numeric_limits<int64_t>::min()}), axes = vector({0}),
              minus_three = vector({-3});
  CHECK(fold("Slice", {&digits, &eight, &small, &axes, &minus_three}).ints == std::vector<int64_t>{8, 5, 2});
  // The last two, with negative bounds.
  const Value minus_two = vector({-2}), ten = vector({10});
  CHECK(fold("Slice", {&digits, &minus_two, &ten}).ints == std::vector<int64_t>{8, 9});
}

TEST_CASE("integer Mod takes the divisor's sign, fmod the dividend's", "[onnx][folding]")
{
  const Value a = vector({-7, 7, -7}), b = vector({3, -3, -3});
  CHECK(fold("Mod", {&a, &b}).ints == std::vector<int64_t>{2, -2, -1});
  CHECK(fold("Mod", {&a, &b}, {{"fmod", 1}}).ints == std::vector<int64_t>{-1, 1, -1});
  const Value zero = vector({0});
  CHECK_THROWS_WITH(fold("Div", {&a, &zero}), Catch::Contains("division by zero"));
}

TEST_CASE("Reshape copies 0 and infers -1, Where, Equal and Expand broadcast", "[onnx][folding]")
{
  const Value data  = int64s({2, 3, 4}, std::vector<int64_t>(24, 7));
  const Value shape = vector({0, -1});
  CHECK(fold("Reshape", {&data, &shape}).dims == core::Shape{2, 12});
  // ViT's class-token Expand shape: Where(Equal(shape, -1), ones, shape) turns [-1, 1, 768] into [1, 1, 768].
  const Value target = vector({-1, 1, 768}), minus_one = vector({-1}), ones = vector({1, 1, 1});
  const Value mask = fold("Equal", {&target, &minus_one});
  CHECK(mask.type == onnx::TensorProto_DataType_BOOL);
  CHECK(mask.ints == std::vector<int64_t>{1, 0, 0});
  const Value fixed = fold("Where", {&mask, &ones, &target});
  CHECK(fixed.ints == std::vector<int64_t>{1, 1, 768});
  const Value token = int64s({1, 1, 3}, {4, 5, 6}), to = vector({2, 1, 3});
  const Value expanded = fold("Expand", {&token, &to});
  CHECK(expanded.dims == core::Shape{2, 1, 3});
  CHECK(expanded.ints == std::vector<int64_t>{4, 5, 6, 4, 5, 6});
}

TEST_CASE("Range, Gather with a negative index, Concat, Unsqueeze, ReduceProd", "[onnx][folding]")
{
  const Value start = int64s({}, {0}), limit = int64s({}, {10}), delta = int64s({}, {3});
  CHECK(fold("Range", {&start, &limit, &delta}).ints == std::vector<int64_t>{0, 3, 6, 9});
  const Value half = Value::floats(onnx::TensorProto_DataType_FLOAT, {}, {0.5});
  const Value two  = Value::floats(onnx::TensorProto_DataType_FLOAT, {}, {2});
  CHECK(fold("Range", {&half, &two, &half}).reals == std::vector<double>{0.5, 1, 1.5});

  const Value shape = vector({1, 197, 768}), last = int64s({}, {-1});
  const Value width = fold("Gather", {&shape, &last});
  CHECK(width.dims.empty());
  CHECK(width.ints == std::vector<int64_t>{768});
  const Value axes      = vector({0});
  const Value as_vector = fold("Unsqueeze", {&width, &axes});
  CHECK(as_vector.dims == core::Shape{1});
  const Value joined = fold("Concat", {&shape, &as_vector}, {{"axis", 0}});
  CHECK(joined.ints == std::vector<int64_t>{1, 197, 768, 768});
  CHECK(fold("ReduceProd", {&shape}, {{"keepdims", 0}}).ints == std::vector<int64_t>{1 * 197 * 768});
}

TEST_CASE("Shape reads the known shape of a tensor whose values are unknown", "[onnx][folding]")
{
  onnx::NodeProto node;
  node.set_op_type("Shape");
  node.add_input("x");
  node.add_output("s");
  auto* start = node.add_attribute();
  start->set_name("start");
  start->set_type(onnx::AttributeProto::INT);
  start->set_i(-2);
  const core::Shape dims{1, 3, 224, 224};
  const auto outputs = fold_node(node, {{nullptr, &dims}}, 15);
  REQUIRE(outputs);
  CHECK(outputs->front().ints == std::vector<int64_t>{224, 224});
  CHECK_FALSE(fold_node(node, {{nullptr, nullptr}}, 15)); // no shape, nothing to fold
}
