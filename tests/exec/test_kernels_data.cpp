// The data-movement kernels the transformer exports need (Gather, Pad, Slice with steps, Transpose moving a batch
// axis, Concat with a constant operand) against naive references written here, element by element in each op's
// ONNX definition. Tolerance (kernel_checks.hpp): 1e-5 absolute plus 1e-4 of the largest magnitude; these ops only
// move values, so every element is in fact equal.

#include "core/error.hpp"
#include "models/model_builder.hpp"
#include "tests/exec/kernel_checks.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::exec;
using namespace pipesplit::exec::checks;

namespace {

// A model whose input is a row-major tensor of `shape` (rank other than 3).
Model rows_model(const Shape& shape)
{
  Model model;
  model.name        = "rows";
  model.input_shape = shape;
  model.input_bytes = static_cast<double>(element_count(shape)) * 4;
  return model;
}

// A model with a [6, 4, 5] image "x" (a 1x1 convolution of the input), stored channels-last.
Model image_model()
{
  ModelBuilder b("image", {3, 4, 5});
  b.conv("x", conv_spec(6, 1, 1, 0), "input");
  return b.build();
}

Tensor run_layer_on(const Model& model, const Tensor& input)
{
  const Chain chain = build_chain(model, ChainMode::Layers);
  return StageRunner(model, chain, 0, chain.size() - 1, {1, seed}).run(input);
}

} // namespace

TEST_CASE("gather looks rows of a constant table up by runtime ids, negative ones from the end, and refuses an id "
          "outside the table")
{
  OpAttributes a;
  a.operand_shape          = {10, 4}; // the table
  a.rows                   = 10;
  Model model              = with_layer(rows_model({6}), "gather", {"input"}, {6, 4}, a);
  model.layers.back().name = "lookup";
  Tensor ids("input", {6});
  ids.data                       = {-1, 0, 3, 9, -10, 5};
  const Tensor out               = run_layer_on(model, ids);
  const std::vector<float> table = draw("lookup/table", 40, -1, 1);
  check_against(out, [&](size_t i) {
    const auto id = static_cast<int64_t>(ids.data[i / 4]);
    return table[static_cast<size_t>((id < 0 ? id + 10 : id) * 4) + i % 4];
  });
  ids.data[2] = 10;
  CHECK_THROWS_WITH(run_layer_on(model, ids), Catch::Contains("'lookup' (op gather)") && Catch::Contains("outside"));
  const Tensor drawn = random_input(model, 3); // ids for a model that starts with a table lookup
  CHECK(std::all_of(drawn.data.begin(), drawn.data.end(), [](float id) { return id >= 0 && id < 10; }));
}

TEST_CASE("gather indexes a layer's output by another layer's output, along its columns, negative indices from the "
          "end")
{
  OpAttributes first_row; // "ids": row 0 of the input, a stand-in for a layer computing indices
  Model model              = with_layer(rows_model({5, 6}), "gather", {"input"}, {6}, first_row);
  model.layers.back().name = "ids";
  OpAttributes columns;
  columns.axis      = 1;
  model             = with_layer(model, "gather", {"input", "ids"}, {5, 6}, columns);
  const Chain chain = build_chain(model, ChainMode::Layers);
  Tensor data("input", {5, 6}), ids("ids", {6});
  RandomStream(seed, "data").fill(data.data, -1, 1);
  ids.data             = {5, -1, 0, 2, -6, 3};
  const auto out       = StageRunner(model, chain, 1, 1, {1, seed}).run(std::vector<Tensor>{data, ids});
  const Tensor& output = out.front();
  check_against(output, [&](size_t i) {
    const auto id = static_cast<int64_t>(ids.data[i % 6]);
    return data.data[i / 6 * 6 + static_cast<size_t>(id < 0 ? id + 6 : id)];
  });
}

TEST_CASE("gather by one constant index takes a slice of a layer's output along any axis, dropping the axis or "
          "keeping it, and a leading axis of 1")
{
  SECTION("[5, 6] along axis 1 by index -2: the column 4")
  {
    OpAttributes a;
    a.axis        = 1;
    a.index       = -2;
    const Run run = run_last_layer(with_layer(rows_model({5, 6}), "gather", {"input"}, {5}, a));
    check_against(run.output, [&](size_t i) { return run.inputs[0].data[i * 6 + 4]; });
  }
  SECTION("a channels-last [6, 4, 5] image along its channels by index 2: a row-major [4, 5] map")
  {
    OpAttributes a;
    a.index       = 2;
    const Run run = run_last_layer(with_layer(image_model(), "gather", {"x"}, {4, 5}, a));
    check_against(run.output, [&](size_t i) { return at(run.inputs[0], 2, static_cast<int64_t>(i / 5), i % 5); });
  }
  SECTION("the same image along its rows by a one-element index 3: [6, 1, 5]")
  {
    OpAttributes a;
    a.axis        = 1;
    a.index       = 3;
    const Run run = run_last_layer(with_layer(image_model(), "gather", {"x"}, {6, 1, 5}, a));
    check_image(run.output, [&](int64_t c, int64_t, int64_t w) { return at(run.inputs[0], c, 3, w); });
  }
  SECTION("[2, 1, 3, 4] along axis 0 by index 1: [1, 3, 4], whose leading 1 the import drops: [3, 4]")
  {
    OpAttributes a;
    a.index       = 1;
    const Run run = run_last_layer(with_layer(rows_model({2, 1, 3, 4}), "gather", {"input"}, {3, 4}, a));
    check_against(run.output, [&](size_t i) { return run.inputs[0].data[12 + i]; });
  }
  OpAttributes beyond;
  beyond.index        = 6;
  const Model refused = with_layer(image_model(), "gather", {"x"}, {4, 5}, beyond);
  CHECK_THROWS_WITH(StageRunner(refused, build_chain(refused, ChainMode::Layers), 0, 1, {1, seed}),
                    Catch::Contains("index 6 outside"));
}

namespace {

// ONNX's Pad of element `out` along an axis of `length` padded by `begin` in front: the input index read, or -1.
int64_t padded_source(int64_t out, int64_t begin, int64_t length, const std::string& mode)
{
  int64_t x = out - begin;
  if (x >= 0 && x < length)
    return x;
  if (mode == "constant")
    return -1;
  if (mode == "edge")
    return std::clamp<int64_t>(x, 0, length - 1);
  while (x < 0 || x >= length) // reflect about the border elements, as numpy.pad's "reflect"
    x = x < 0 ? -x : 2 * (length - 1) - x;
  return x;
}

} // namespace

TEST_CASE("pad in constant, reflect and edge modes equals ONNX's definition on images and on rows; other modes are "
          "refused by name")
{
  for (const std::string mode : {"constant", "reflect", "edge"}) {
    INFO(mode);
    OpAttributes a;
    a.mode          = mode;
    a.value         = 0.5;
    a.pad_begin     = {0, 1, 3};
    a.pad_end       = {1, 2, 0};
    const Run image = run_last_layer(with_layer(image_model(), "pad", {"x"}, {7, 7, 8}, a));
    check_image(image.output, [&](int64_t c, int64_t h, int64_t w) {
      const int64_t sc = padded_source(c, 0, 6, mode), sh = padded_source(h, 1, 4, mode),
                    sw = padded_source(w, 3, 5, mode);
      return sc < 0 || sh < 0 || sw < 0 ? 0.5 : at(image.inputs[0], sc, sh, sw);
    });
    a.pad_begin    = {2, 0};
    a.pad_end      = {1, 3};
    const Run rows = run_last_layer(with_layer(rows_model({4, 5}), "pad", {"input"}, {7, 8}, a));
    check_against(rows.output, [&](size_t i) {
      const int64_t r = padded_source(static_cast<int64_t>(i / 8), 2, 4, mode),
                    k = padded_source(static_cast<int64_t>(i % 8), 0, 5, mode);
      return r < 0 || k < 0 ? 0.5 : rows.inputs[0].data[static_cast<size_t>(r * 5 + k)];
    });
  }
  OpAttributes wrap;
  wrap.mode           = "wrap";
  wrap.pad_begin      = {0, 0};
  wrap.pad_end        = {0, 1};
  const Model refused = with_layer(rows_model({4, 5}), "pad", {"input"}, {4, 6}, wrap);
  CHECK_THROWS_WITH(StageRunner(refused, build_chain(refused, ChainMode::Layers), 0, 0, {1, seed}),
                    Catch::Contains("pad mode 'wrap' has no executor"));
}

TEST_CASE("slice with a step takes every step-th element, backwards when negative, on rows and images")
{
  OpAttributes back; // columns 4, 2, 0
  back.axis      = 1;
  back.index     = 4;
  back.step      = -2;
  const Run rows = run_last_layer(with_layer(rows_model({4, 5}), "slice", {"input"}, {4, 3}, back));
  check_against(rows.output, [&](size_t i) { return rows.inputs[0].data[i / 3 * 5 + 4 - 2 * (i % 3)]; });
  OpAttributes every_other; // Swin's patch merging: rows 1 and 3 of each channel
  every_other.axis  = 1;
  every_other.index = 1;
  every_other.step  = 2;
  const Run image   = run_last_layer(with_layer(image_model(), "slice", {"x"}, {6, 2, 5}, every_other));
  check_image(image.output, [&](int64_t c, int64_t h, int64_t w) { return at(image.inputs[0], c, 1 + 2 * h, w); });
  every_other.index   = 2; // rows 2, 4: beyond the 4 rows
  const Model refused = with_layer(image_model(), "slice", {"x"}, {6, 2, 5}, every_other);
  CHECK_THROWS_WITH(StageRunner(refused, build_chain(refused, ChainMode::Layers), 0, 1, {1, seed}),
                    Catch::Contains("does not give"));
}

TEST_CASE("transpose adds or drops an axis of size 1 (a sequence-first export's batch axis) and keeps every element "
          "at its permuted index")
{
  OpAttributes add; // [T, D] -> [T, 1, D]: row-major to channels-last
  add.perm           = {0, -1, 1};
  const Run to_three = run_last_layer(with_layer(rows_model({4, 5}), "transpose", {"input"}, {4, 1, 5}, add));
  check_image(to_three.output, [&](int64_t t, int64_t, int64_t d) { return to_three.inputs[0].data[t * 5 + d]; });
  OpAttributes reversed; // ONNX's default perm on [1, 4, 5] (batch included): [5, 4, 1]
  reversed.perm     = {1, 0, -1};
  const Run reverse = run_last_layer(with_layer(rows_model({4, 5}), "transpose", {"input"}, {5, 4, 1}, reversed));
  check_image(reverse.output, [&](int64_t d, int64_t t, int64_t) { return reverse.inputs[0].data[t * 5 + d]; });
  OpAttributes drop; // [6, 1, 5] (channels-last) -> [5, 6]: the unit axis left out, the others swapped
  drop.perm = {2, 0};
  OpAttributes row;
  row.axis                 = 1;
  row.index                = 3;
  Model model              = with_layer(image_model(), "gather", {"x"}, {6, 1, 5}, row);
  model.layers.back().name = "row";
  const Run run            = run_last_layer(with_layer(model, "transpose", {"row"}, {5, 6}, drop));
  check_against(run.output, [&](size_t i) { return at(run.inputs[0], i % 6, 0, i / 6); });
  OpAttributes lost; // an axis longer than 1 left out
  lost.perm           = {0, -1};
  const Model refused = with_layer(rows_model({4, 5}), "transpose", {"input"}, {4, 1}, lost);
  CHECK_THROWS_WITH(StageRunner(refused, build_chain(refused, ChainMode::Layers), 0, 0, {1, seed}),
                    Catch::Contains("not a permutation"));
}

TEST_CASE("concat with a constant operand (ViT's class token) puts the drawn constant at its position along any "
          "axis")
{
  OpAttributes token; // [1, 5] first along the tokens of [4, 5]
  token.operand_shape            = {1, 5};
  const Run run                  = run_last_layer(with_layer(rows_model({4, 5}), "concat", {"input"}, {5, 5}, token));
  const std::vector<float> first = draw("last/constant", 5, -1, 1);
  check_against(run.output, [&](size_t i) { return i < 5 ? first[i] : run.inputs[0].data[i - 5]; });
  OpAttributes columns; // [4, 2] second along the features
  columns.axis          = 1;
  columns.index         = 1;
  columns.operand_shape = {4, 2};
  const Run wide        = run_last_layer(with_layer(rows_model({4, 5}), "concat", {"input"}, {4, 7}, columns));
  const std::vector<float> second = draw("last/constant", 8, -1, 1);
  check_against(wide.output, [&](size_t i) {
    return i % 7 < 5 ? wide.inputs[0].data[i / 7 * 5 + i % 7] : second[i / 7 * 2 + i % 7 - 5];
  });
  OpAttributes rows; // a [6, 1, 5] row before the rows of a channels-last image
  rows.axis                      = 1;
  rows.operand_shape             = {6, 1, 5};
  const Run image                = run_last_layer(with_layer(image_model(), "concat", {"x"}, {6, 5, 5}, rows));
  const std::vector<float> third = draw("last/constant", 30, -1, 1); // drawn row-major (C, H, W)
  check_image(image.output, [&](int64_t c, int64_t h, int64_t w) {
    return h == 0 ? third[static_cast<size_t>(c * 5 + w)] : at(image.inputs[0], c, h - 1, w);
  });
}
