// Each op's kernel against a naive reference written here, on small shapes: loops in double precision over the
// same random weights (redrawn from the same (seed, layer/part) streams and ranges the kernels document). Tolerance
// (kernel_checks.hpp): 1e-5 absolute plus 1e-4 relative to the output's largest magnitude (float accumulation over at
// most a few hundred products; oneDNN's transcendental functions are polynomial approximations within a few ulp).

#include "exec/stage_runner.hpp"
#include "models/model_builder.hpp"
#include "tests/exec/kernel_checks.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace pipesplit;
using namespace pipesplit::exec;
using namespace pipesplit::exec::checks;

TEST_CASE("convolutions equal the naive sum: plain, strided and padded, grouped, depthwise, with bias")
{
  struct Case {
    int64_t in_c, size, out_c, kernel, stride, pad, groups;
    bool bias;
  };
  for (const Case k :
       {Case{3, 9, 4, 3, 1, 1, 1, false}, Case{4, 10, 6, 3, 2, 1, 1, true}, Case{4, 8, 6, 3, 1, 0, 2, true},
        Case{6, 9, 6, 3, 2, 1, 6, false}, Case{2, 7, 3, 7, 2, 3, 1, false}}) {
    INFO("conv " << k.in_c << "->" << k.out_c << " k" << k.kernel << " s" << k.stride << " p" << k.pad << " g"
                 << k.groups);
    ModelBuilder b("conv", {k.in_c, k.size, k.size});
    b.conv("c", conv_spec(k.out_c, k.kernel, k.stride, k.pad, k.groups, k.bias));
    const Model model  = b.build();
    const Run run      = run_last_layer(model);
    const int64_t per  = k.in_c / k.groups;
    const auto weights = draw("c/weights", static_cast<size_t>(k.out_c * per * k.kernel * k.kernel),
                              -he_bound(static_cast<double>(per * k.kernel * k.kernel)),
                              he_bound(static_cast<double>(per * k.kernel * k.kernel)));
    const auto bias    = draw("c/bias", static_cast<size_t>(k.out_c), -0.1f, 0.1f);
    const Tensor& x    = run.inputs[0];
    check_image(run.output, [&](int64_t o, int64_t h, int64_t w) {
      const int64_t group = o / (k.out_c / k.groups);
      double sum          = k.bias ? bias[static_cast<size_t>(o)] : 0;
      for (int64_t i = 0; i < per; ++i)
        for (int64_t r = 0; r < k.kernel; ++r)
          for (int64_t s = 0; s < k.kernel; ++s) {
            const int64_t y = h * k.stride - k.pad + r, z = w * k.stride - k.pad + s;
            if (y < 0 || z < 0 || y >= k.size || z >= k.size)
              continue;
            sum += weights[static_cast<size_t>(((o * per + i) * k.kernel + r) * k.kernel + s)] *
                   at(x, group * per + i, y, z);
          }
      return sum;
    });
  }
}

TEST_CASE("pooling equals the naive window: max (ceil mode, Darknet's same), average (padding counted), global, "
          "adaptive with overlapping bins")
{
  auto window = [](const Tensor& x, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride, int64_t pad,
                   bool max) {
    double result = max ? -INFINITY : 0;
    for (int64_t r = 0; r < kernel; ++r)
      for (int64_t s = 0; s < kernel; ++s) {
        const int64_t y = h * stride - pad + r, z = w * stride - pad + s;
        const bool inside = y >= 0 && z >= 0 && y < x.shape[1] && z < x.shape[2];
        if (max && inside)
          result = std::max(result, at(x, c, y, z));
        else if (!max && inside)
          result += at(x, c, y, z);
      }
    return max ? result : result / static_cast<double>(kernel * kernel); // padding counts as zeros
  };
  {
    ModelBuilder b("maxpool", {3, 8, 8});
    b.max_pool("p", 3, 2, 0, true); // ceil mode: 4x4, the last window hangs over
    const Run run = run_last_layer(b.build());
    REQUIRE(run.output.shape == Shape{3, 4, 4});
    check_image(run.output,
                [&](int64_t c, int64_t h, int64_t w) { return window(run.inputs[0], c, h, w, 3, 2, 0, true); });
  }
  {
    ModelBuilder b("same", {2, 5, 5});
    b.max_pool_same("p", 2, 1); // keeps 5x5, padding at the bottom and right
    const Run run = run_last_layer(b.build());
    check_image(run.output,
                [&](int64_t c, int64_t h, int64_t w) { return window(run.inputs[0], c, h, w, 2, 1, 0, true); });
  }
  {
    ModelBuilder b("avgpool", {3, 7, 7});
    b.avg_pool("p", 3, 1, 1);
    const Run run = run_last_layer(b.build());
    check_image(run.output,
                [&](int64_t c, int64_t h, int64_t w) { return window(run.inputs[0], c, h, w, 3, 1, 1, false); });
  }
  {
    ModelBuilder b("global", {4, 5, 6});
    b.global_avg_pool("p");
    const Run run = run_last_layer(b.build());
    check_image(run.output, [&](int64_t c, int64_t, int64_t) {
      double sum = 0;
      for (int64_t y = 0; y < 5; ++y)
        for (int64_t z = 0; z < 6; ++z)
          sum += at(run.inputs[0], c, y, z);
      return sum / 30;
    });
  }
  {
    ModelBuilder b("adaptive", {2, 5, 3});
    b.adaptive_avg_pool("p", 3, 7); // rows 5 -> 3 (overlapping bins), columns 3 -> 7 (each read twice or so)
    const Run run = run_last_layer(b.build());
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
      const int64_t r0 = h * 5 / 3, r1 = ((h + 1) * 5 + 2) / 3, c0 = w * 3 / 7, c1 = ((w + 1) * 3 + 6) / 7;
      double sum = 0;
      for (int64_t y = r0; y < r1; ++y)
        for (int64_t z = c0; z < c1; ++z)
          sum += at(run.inputs[0], c, y, z);
      return sum / static_cast<double>((r1 - r0) * (c1 - c0));
    });
  }
}

TEST_CASE("batch normalisation and activations equal their formulas")
{
  {
    ModelBuilder b("bn", {3, 4, 5});
    b.batch_norm("n");
    const Run run    = run_last_layer(b.build());
    const auto mean  = draw("n/mean", 3, -0.1f, 0.1f);
    const auto var   = draw("n/variance", 3, 0.5f, 1.5f);
    const auto scale = draw("n/scale", 3, 0.5f, 1.5f);
    const auto shift = draw("n/shift", 3, -0.1f, 0.1f);
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
      const auto i = static_cast<size_t>(c);
      return (at(run.inputs[0], c, h, w) - mean[i]) / std::sqrt(var[i] + 1e-5) * scale[i] + shift[i];
    });
  }
  const std::map<std::string, std::function<double(double)>> formulas = {
      {"relu", [](double x) { return std::max(x, 0.0); }},
      {"relu6", [](double x) { return std::clamp(x, 0.0, 6.0); }},
      {"leaky_relu", [](double x) { return x > 0 ? x : 0.1 * x; }},
      {"sigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"gelu", [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
      {"hswish", [](double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }},
  };
  for (const auto& [kind, formula] : formulas) {
    INFO(kind);
    ModelBuilder b("act", {2, 3, 4});
    b.fc("mix", 24); // an input of both signs, as a layer gives it
    b.activation("a", kind);
    const Run run = run_last_layer(b.build());
    check_against(run.output, [&](size_t i) { return formula(run.inputs[0].data[i]); });
  }
}

TEST_CASE("fully connected and linear layers equal the naive matrix product")
{
  {
    ModelBuilder b("fc", {3, 2, 2});
    b.fc("f", 5);
    const Run run   = run_last_layer(b.build());
    const auto w    = draw("f/weights", 5 * 12, -he_bound(12), he_bound(12));
    const auto bias = draw("f/bias", 5, -0.1f, 0.1f);
    check_against(run.output, [&](size_t o) {
      double sum = bias[o];
      for (size_t i = 0; i < 12; ++i)
        sum += w[o * 12 + i] * run.inputs[0].data[i]; // over the input's memory order
      return sum;
    });
  }
  {
    ModelBuilder b("linear", {4, 6}); // 4 tokens of 6 features
    b.linear("l", 3, false);
    const Run run = run_last_layer(b.build());
    const auto w  = draw("l/weights", 3 * 6, -he_bound(6), he_bound(6));
    check_against(run.output, [&](size_t i) {
      const size_t t = i / 3, o = i % 3;
      double sum = 0;
      for (size_t k = 0; k < 6; ++k)
        sum += w[o * 6 + k] * run.inputs[0].data[t * 6 + k];
      return sum;
    });
  }
}

TEST_CASE("add, concat, flatten and space-to-depth move and combine elements as defined")
{
  {
    ModelBuilder b("add", {3, 4, 4});
    b.conv("x", conv_spec(2, 1, 1, 0), "input");
    b.conv("y", conv_spec(2, 3, 1, 1), "input");
    b.conv("z", conv_spec(2, 1, 1, 0), "input");
    b.add("s", {"x", "y", "z"});
    const Run run = run_last_layer(b.build());
    check_against(run.output, [&](size_t i) {
      return input_named(run, "x").data[i] + input_named(run, "y").data[i] + input_named(run, "z").data[i];
    });
  }
  {
    ModelBuilder b("concat", {3, 4, 5});
    b.conv("x", conv_spec(2, 1, 1, 0), "input");
    b.conv("y", conv_spec(3, 1, 1, 0), "input");
    b.concat("c", {"x", "y"});
    const Run run = run_last_layer(b.build());
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
      return c < 2 ? at(input_named(run, "x"), c, h, w) : at(input_named(run, "y"), c - 2, h, w);
    });
  }
  {
    ModelBuilder b("flatten", {3, 2, 2});
    b.flatten("f");
    const Run run = run_last_layer(b.build()); // row-major (C, H, W) order, from a channels-last image
    for (size_t i = 0; i < 12; ++i)
      CHECK(run.output.data[i] == at(run.inputs[0], int64_t(i / 4), int64_t(i / 2 % 2), int64_t(i % 2)));
  }
  {
    ModelBuilder b("reorg", {3, 4, 6});
    b.reorg("r", 2);
    const Run run = run_last_layer(b.build());
    REQUIRE(run.output.shape == Shape{12, 2, 3});
    check_image(run.output, [&](int64_t c, int64_t y, int64_t x) {
      const int64_t block = c / 3, channel = c % 3;
      return at(run.inputs[0], channel, y * 2 + block / 2, x * 2 + block % 2);
    });
  }
}

TEST_CASE("sequence ops equal their definitions: layer norm, attention, embeddings, tokens, softmax")
{
  {
    ModelBuilder b("ln", {3, 8});
    b.layer_norm("n");
    const Run run    = run_last_layer(b.build());
    const auto scale = draw("n/scale", 8, 0.5f, 1.5f);
    const auto shift = draw("n/shift", 8, -0.1f, 0.1f);
    check_against(run.output, [&](size_t i) {
      const size_t row = i / 8;
      double mean = 0, var = 0;
      for (size_t k = 0; k < 8; ++k)
        mean += run.inputs[0].data[row * 8 + k] / 8.0;
      for (size_t k = 0; k < 8; ++k)
        var += std::pow(run.inputs[0].data[row * 8 + k] - mean, 2) / 8.0;
      return (run.inputs[0].data[i] - mean) / std::sqrt(var + 1e-5) * scale[i % 8] + shift[i % 8];
    });
  }
  {
    constexpr size_t tokens = 5, width = 8, heads = 2, d = width / heads;
    ModelBuilder b("attention", {tokens, 3 * width});
    b.attention("a", heads);
    const Run run   = run_last_layer(b.build());
    const auto& qkv = run.inputs[0].data;
    check_against(run.output, [&](size_t i) {
      const size_t t = i / width, head = i % width / d, j = i % d;
      std::vector<double> scores(tokens);
      double largest = -INFINITY, total = 0;
      for (size_t u = 0; u < tokens; ++u) {
        for (size_t k = 0; k < d; ++k)
          scores[u] += qkv[t * 3 * width + head * d + k] * qkv[u * 3 * width + width + head * d + k];
        scores[u] /= std::sqrt(static_cast<double>(d));
        largest = std::max(largest, scores[u]);
      }
      for (auto& score : scores)
        total += score = std::exp(score - largest);
      double out = 0;
      for (size_t u = 0; u < tokens; ++u)
        out += scores[u] / total * qkv[u * 3 * width + 2 * width + head * d + j];
      return out;
    });
  }
  {
    ModelBuilder b("embedding", {6});
    b.embedding("words", 11, 4);
    b.add_embedding_table("positions", 8);
    b.add_embedding_table("segments", 2);
    const Model model = b.build();
    const Chain chain = build_chain(model, ChainMode::Layers);
    const Tensor ids  = random_input(model, seed);
    for (float id : ids.data)
      REQUIRE((id >= 0 && id < 11 && id == std::floor(id)));
    const Tensor out     = StageRunner(model, chain, 0, 2, {1, seed}).run(ids);
    const auto words     = draw("words/table", 11 * 4, -1, 1);
    const auto positions = draw("positions/table", 6 * 4, -0.1f, 0.1f); // the rows of the sequence's positions
    const auto segment   = draw("segments/table", 4, -0.1f, 0.1f);      // one segment: row 0 for every token
    check_against(out, [&](size_t i) {
      const size_t t = i / 4, k = i % 4;
      return static_cast<double>(words[static_cast<size_t>(ids.data[t]) * 4 + k]) + positions[i] + segment[k];
    });
  }
  {
    ModelBuilder b("tokens", {4, 2, 3});
    b.to_tokens("t", 1, 4 + 7 * 4); // a class token and a positional table, as ViT
    b.select_token("first", 0);
    const Model model = b.build();
    const Chain chain = build_chain(model, ChainMode::Layers);
    const Tensor x    = random_input(model, seed);
    const auto tokens = StageRunner(model, chain, 0, 0, {1, seed}).run(x);
    const auto extra  = draw("t/extra_tokens", 4, -1, 1);
    const auto table  = draw("t/positions", 7 * 4, -0.1f, 0.1f);
    check_against(tokens, [&](size_t i) {
      const int64_t token = static_cast<int64_t>(i / 4), c = static_cast<int64_t>(i % 4);
      const double value = token == 0 ? extra[i] : at(x, c, (token - 1) / 3, (token - 1) % 3);
      return value + table[i];
    });
    const Tensor first = StageRunner(model, chain, 1, 1, {1, seed}).run(tokens);
    CHECK(first.data == std::vector<float>(tokens.data.begin(), tokens.data.begin() + 4));
  }
  {
    Model model;
    model.name        = "softmax";
    model.input_shape = {3, 5};
    model.input_bytes = 60;
    Layer layer;
    layer.name               = "s";
    layer.op                 = "softmax";
    layer.inputs             = {"input"};
    layer.output_shape       = {3, 5};
    layer.output_bytes       = 60;
    layer.attributes.present = true;
    layer.attributes.axis    = 1;
    model.layers.push_back(layer);
    const Run run = run_last_layer(model);
    check_against(run.output, [&](size_t i) {
      const size_t row = i / 5;
      double total     = 0;
      for (size_t k = 0; k < 5; ++k)
        total += std::exp(run.inputs[0].data[row * 5 + k]);
      return std::exp(run.inputs[0].data[i]) / total;
    });
  }
}

TEST_CASE("LRN equals its definition across channels; an even window is refused")
{
  ModelBuilder b("lrn", {3, 4, 5});
  b.conv("x", conv_spec(7, 1, 1, 0), "input");
  OpAttributes a;
  a.size          = 5;
  a.alpha         = 0.5; // large enough that the normalisation changes every value (AlexNet's 1e-4 barely does)
  a.beta          = 0.75;
  a.k             = 2;
  const Run run   = run_last_layer(with_layer(b.build(), "lrn", {"x"}, {7, 4, 5}, a));
  const Tensor& x = run.inputs[0];
  check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
    double squares = 0;
    for (int64_t j = std::max<int64_t>(0, c - 2); j <= std::min<int64_t>(6, c + 2); ++j)
      squares += at(x, j, h, w) * at(x, j, h, w);
    return at(x, c, h, w) / std::pow(a.k + a.alpha / a.size * squares, a.beta);
  });
  a.size           = 4; // ONNX's window is c - 1 .. c + 2, oneDNN's c - 1 .. c + 1
  const Model even = with_layer(b.build(), "lrn", {"x"}, {7, 4, 5}, a);
  CHECK_THROWS_WITH(StageRunner(even, build_chain(even, ChainMode::Layers), 0, 1, {1, seed}),
                    Catch::Contains("'last' (op lrn)") && Catch::Contains("odd size"));
}

TEST_CASE("mul and add broadcast as numpy does: per-channel tensors, constants along any axis, x * x")
{
  ModelBuilder b("binary", {3, 4, 5});
  b.conv("x", conv_spec(6, 1, 1, 0), "input");
  const Model base = b.build(); // x only: a model output the last layer does not read would be the stage's too
  b.global_avg_pool("s", "x");
  const Model pooled = b.build();
  SECTION("a [C, 1, 1] tensor scales each channel, as first or second operand")
  {
    for (const auto& order : {std::vector<std::string>{"x", "s"}, std::vector<std::string>{"s", "x"}}) {
      const Run run = run_last_layer(with_layer(pooled, "mul", order, {6, 4, 5}, {}));
      check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
        return at(input_named(run, "x"), c, h, w) * input_named(run, "s").data[static_cast<size_t>(c)];
      });
    }
  }
  SECTION("a constant of [C, 1, 1], [1, 1, W] or the full shape (drawn row-major)")
  {
    for (const Shape& constant : {Shape{6, 1, 1}, Shape{1, 1, 5}, Shape{6, 4, 5}})
      for (const std::string op : {"mul", "add"}) {
        INFO(op << " by a constant of " << shape_to_string(constant));
        OpAttributes a;
        a.operand_shape   = constant;
        const Run run     = run_last_layer(with_layer(base, op, {"x"}, {6, 4, 5}, a));
        const auto values = op == "mul"
                                ? draw("last/constant", static_cast<size_t>(element_count(constant)), 0.5f, 1.5f)
                                : draw("last/constant", static_cast<size_t>(element_count(constant)), -0.1f, 0.1f);
        check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
          const int64_t i = ((constant[0] == 1 ? 0 : c) * constant[1] + (constant[1] == 1 ? 0 : h)) * constant[2] +
                            (constant[2] == 1 ? 0 : w);
          const double v = values[static_cast<size_t>(i)];
          return op == "mul" ? at(input_named(run, "x"), c, h, w) * v : at(input_named(run, "x"), c, h, w) + v;
        });
      }
  }
  SECTION("one input twice: x * x")
  {
    const Run run   = run_last_layer(with_layer(base, "mul", {"x"}, {6, 4, 5}, {}));
    const Tensor& x = input_named(run, "x");
    check_against(run.output, [&](size_t i) { return double(x.data[i]) * x.data[i]; });
  }
  SECTION("operands that do not broadcast to the output are refused by name")
  {
    OpAttributes a;
    a.operand_shape   = {2, 1, 1};
    const Model wrong = with_layer(base, "add", {"x"}, {6, 4, 5}, a);
    CHECK_THROWS_WITH(StageRunner(wrong, build_chain(wrong, ChainMode::Layers), 0, 1, {1, seed}),
                      Catch::Contains("'last' (op add)") && Catch::Contains("does not broadcast"));
  }
}

TEST_CASE("transpose moves every element to its permuted index, for images and for other ranks")
{
  ModelBuilder b("transpose", {3, 4, 5});
  b.conv("x", conv_spec(6, 1, 1, 0), "input");
  const Model base = b.build();
  for (const Shape& perm : {Shape{1, 2, 0}, Shape{0, 2, 1}, Shape{2, 0, 1}}) {
    INFO("perm " << perm[0] << perm[1] << perm[2]);
    const Shape in{6, 4, 5};
    OpAttributes a;
    a.perm        = perm;
    const Run run = run_last_layer(with_layer(base, "transpose", {"x"}, {in[perm[0]], in[perm[1]], in[perm[2]]}, a));
    check_against(run.output, [&](size_t i) {
      const Shape out_index = index_of(i, run.output.shape);
      Shape in_index(3);
      for (size_t d = 0; d < 3; ++d)
        in_index[static_cast<size_t>(perm[d])] = out_index[d];
      return element(run.inputs[0], in_index);
    });
  }
  {
    OpAttributes a; // a [T, D] sequence, row-major
    a.perm = {1, 0};
    Model rows;
    rows.name        = "rows";
    rows.input_shape = {4, 5};
    rows.input_bytes = 80;
    const Run run    = run_last_layer(with_layer(rows, "transpose", {"input"}, {5, 4}, a));
    check_against(run.output, [&](size_t i) { return run.inputs[0].data[(i % 4) * 5 + i / 4]; });
  }
  OpAttributes wrong;
  wrong.perm          = {0, 0, 1};
  const Model refused = with_layer(base, "transpose", {"x"}, {6, 6, 4}, wrong);
  CHECK_THROWS_WITH(StageRunner(refused, build_chain(refused, ChainMode::Layers), 0, 1, {1, seed}),
                    Catch::Contains("not a permutation"));
}

TEST_CASE("a channel shuffle (reshape, transpose, reshape) moves whole channels, as ShuffleNet's does")
{
  ModelBuilder b("shuffle", {3, 2, 3});
  b.conv("x", conv_spec(6, 1, 1, 0), "input");
  Model model = b.build();
  OpAttributes swap;
  swap.perm                = {1, 0, 2, 3};
  model                    = with_layer(model, "reshape", {"x"}, {2, 3, 2, 3}, {});
  model.layers.back().name = "groups";
  model                    = with_layer(model, "transpose", {"groups"}, {3, 2, 2, 3}, swap);
  model.layers.back().name = "swapped";
  model                    = with_layer(model, "reshape", {"swapped"}, {6, 2, 3}, {});
  const Chain chain        = build_chain(model, ChainMode::Layers);
  const auto x   = StageRunner(model, chain, 0, 0, {1, seed}).run(std::vector<Tensor>{random_input(model, seed)});
  const auto out = StageRunner(model, chain, 1, 3, {1, seed}).run(x);
  // Output channel c holds input channel (c % 2) * 3 + c / 2: groups of 3 channels interleaved.
  check_image(out.front(), [&](int64_t c, int64_t h, int64_t w) { return at(x.front(), c % 2 * 3 + c / 2, h, w); });
}

TEST_CASE("the pieces of a decomposed LayerNorm and GELU equal their definitions: reduce mean, sub, div, pow, sqrt, "
          "erf; a layer norm and a linear layer over the last axis of [A, B, D]")
{
  ModelBuilder b("decomposed", {3, 4, 5});
  b.conv("x", conv_spec(6, 1, 1, 0), "input"); // of both signs
  const Model base = b.build();
  b.global_avg_pool("s", "x");
  const Model pooled = b.build();
  SECTION("reduce mean over trailing axes, kept as 1 or dropped, for images and rows")
  {
    OpAttributes a;
    a.axis        = 2;
    const Run run = run_last_layer(with_layer(base, "reducemean", {"x"}, {6, 4, 1}, a));
    check_image(run.output, [&](int64_t c, int64_t h, int64_t) {
      double sum = 0;
      for (int64_t w = 0; w < 5; ++w)
        sum += at(run.inputs[0], c, h, w);
      return sum / 5;
    });
    a.axis            = 1;
    const Run dropped = run_last_layer(with_layer(base, "reducemean", {"x"}, {6}, a));
    const Tensor& x   = dropped.inputs[0];
    check_against(dropped.output, [&](size_t c) {
      double sum = 0;
      for (int64_t h = 0; h < 4; ++h)
        for (int64_t w = 0; w < 5; ++w)
          sum += at(x, static_cast<int64_t>(c), h, w);
      return sum / 20;
    });
    const Run single = run_last_layer(with_layer(pooled, "reducemean", {"s"}, {6}, a)); // [6, 1, 1]: a copy
    CHECK(single.output.data == input_named(single, "s").data);
    const Model wrong = with_layer(base, "reducemean", {"x"}, {6, 4}, a);
    CHECK_THROWS_WITH(StageRunner(wrong, build_chain(wrong, ChainMode::Layers), 0, 1, {1, seed}),
                      Catch::Contains("'last' (op reducemean)") && Catch::Contains("the output is [6, 4]"));
  }
  SECTION("sub of a broadcast tensor or a constant, div by a constant; a broadcast first operand is refused")
  {
    const Run run = run_last_layer(with_layer(pooled, "sub", {"x", "s"}, {6, 4, 5}, {}));
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
      return at(input_named(run, "x"), c, h, w) - input_named(run, "s").data[static_cast<size_t>(c)];
    });
    for (const std::string op : {"sub", "div"}) {
      INFO(op);
      OpAttributes a;
      a.operand_shape   = {1, 1, 5};
      const Run by      = run_last_layer(with_layer(base, op, {"x"}, {6, 4, 5}, a));
      const auto values = op == "sub" ? draw("last/constant", 5, -0.1f, 0.1f) : draw("last/constant", 5, 0.5f, 1.5f);
      check_image(by.output, [&](int64_t c, int64_t h, int64_t w) {
        const double x = at(by.inputs[0], c, h, w), v = values[static_cast<size_t>(w)];
        return op == "sub" ? x - v : x / v;
      });
    }
    const Model reversed = with_layer(pooled, "div", {"s", "x"}, {6, 4, 5}, {});
    CHECK_THROWS_WITH(StageRunner(reversed, build_chain(reversed, ChainMode::Layers), 0, 2, {1, seed}),
                      Catch::Contains("'last' (op div)") && Catch::Contains("broadcasts the second operand only"));
  }
  SECTION("pow by a scalar exponent, sqrt, erf")
  {
    for (const double exponent : {2.0, 3.0}) {
      OpAttributes a;
      a.beta        = exponent;
      const Run run = run_last_layer(with_layer(base, "pow", {"x"}, {6, 4, 5}, a));
      check_against(run.output, [&](size_t i) { return std::pow(double(run.inputs[0].data[i]), exponent); });
    }
    OpAttributes square;
    square.beta                = 2;
    Model squared              = with_layer(base, "pow", {"x"}, {6, 4, 5}, square);
    squared.layers.back().name = "squared";
    const Run root             = run_last_layer(with_layer(squared, "sqrt", {"squared"}, {6, 4, 5}, {}));
    check_against(root.output, [&](size_t i) { return std::sqrt(double(root.inputs[0].data[i])); });
    const Run erf = run_last_layer(with_layer(base, "erf", {"x"}, {6, 4, 5}, {}));
    check_against(erf.output, [&](size_t i) { return std::erf(double(erf.inputs[0].data[i])); });
  }
  SECTION("a slice of a range along one axis (ONNX Slice, step 1)")
  {
    OpAttributes a;
    a.axis        = 1;
    a.index       = 1;
    const Run run = run_last_layer(with_layer(base, "slice", {"x"}, {6, 2, 5}, a));
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) { return at(run.inputs[0], c, h + 1, w); });
    const Model wrong = with_layer(base, "slice", {"x"}, {6, 4, 5}, a);
    CHECK_THROWS_WITH(StageRunner(wrong, build_chain(wrong, ChainMode::Layers), 0, 1, {1, seed}),
                      Catch::Contains("'last' (op slice)") && Catch::Contains("along axis 1"));
  }
  SECTION("a layer norm over the last axis of [A, B, D] (ONNX's LayerNormalization on ConvNeXt's channels-last)")
  {
    OpAttributes a;
    a.epsilon        = 1e-6;
    const Run run    = run_last_layer(with_layer(base, "layernorm", {"x"}, {6, 4, 5}, a));
    const auto scale = draw("last/scale", 5, 0.5f, 1.5f);
    const auto shift = draw("last/shift", 5, -0.1f, 0.1f);
    check_image(run.output, [&](int64_t c, int64_t h, int64_t w) {
      double mean = 0, var = 0;
      for (int64_t k = 0; k < 5; ++k)
        mean += at(run.inputs[0], c, h, k) / 5.0;
      for (int64_t k = 0; k < 5; ++k)
        var += std::pow(at(run.inputs[0], c, h, k) - mean, 2) / 5.0;
      const auto i = static_cast<size_t>(w);
      return (at(run.inputs[0], c, h, w) - mean) / std::sqrt(var + 1e-6) * scale[i] + shift[i];
    });
  }
  SECTION("a linear layer over the last axis of [A, B, D]: each (a, b) row times the weights")
  {
    const Run run = run_last_layer(with_layer(base, "matmul", {"x"}, {6, 4, 3}, {}));
    const auto w  = draw("last/weights", 3 * 5, -he_bound(5), he_bound(5));
    check_image(run.output, [&](int64_t c, int64_t h, int64_t o) {
      double sum = 0;
      for (int64_t k = 0; k < 5; ++k)
        sum += w[static_cast<size_t>(o * 5 + k)] * at(run.inputs[0], c, h, k);
      return sum;
    });
  }
}

TEST_CASE("a matmul of two activations is the batched matrix product, the batch broadcast; a Gemm on [T, D] works "
          "row by row")
{
  SECTION("[H, T, D] x [H, D, T] and [1, T, D] x [H, D, T], channels-last")
  {
    ModelBuilder b("product", {3, 4, 5});
    b.conv("x", conv_spec(2, 1, 1, 0), "input"); // [2, 4, 5]
    b.conv("y", conv_spec(2, 1, 1, 0), "input");
    Model base = b.build();
    OpAttributes t;
    t.perm                        = {0, 2, 1};
    Model transposed              = with_layer(base, "transpose", {"y"}, {2, 5, 4}, t);
    transposed.layers.back().name = "yt";
    const Run run                 = run_last_layer(with_layer(transposed, "matmul", {"x", "yt"}, {2, 4, 4}, {}));
    const Tensor &x = input_named(run, "x"), &y = input_named(run, "yt");
    check_image(run.output, [&](int64_t h, int64_t i, int64_t j) {
      double sum = 0;
      for (int64_t k = 0; k < 5; ++k)
        sum += at(x, h, i, k) * at(y, h, k, j);
      return sum;
    });
    const Model wrong = with_layer(transposed, "matmul", {"x", "y"}, {2, 4, 4}, {});
    CHECK_THROWS_WITH(StageRunner(wrong, build_chain(wrong, ChainMode::Layers), 0, 3, {1, seed}),
                      Catch::Contains("'last' (op matmul)") && Catch::Contains("not a (batched) matrix product"));
  }
  SECTION("fc on [T, D] gives [T, O]: each row through the same weights and bias")
  {
    Model rows;
    rows.name        = "rows";
    rows.input_shape = {4, 6};
    rows.input_bytes = 96;
    OpAttributes a;
    a.bias          = true;
    const Run run   = run_last_layer(with_layer(rows, "fc", {"input"}, {4, 3}, a));
    const auto w    = draw("last/weights", 3 * 6, -he_bound(6), he_bound(6));
    const auto bias = draw("last/bias", 3, -0.1f, 0.1f);
    check_against(run.output, [&](size_t i) {
      const size_t t = i / 3, o = i % 3;
      double sum = bias[o];
      for (size_t k = 0; k < 6; ++k)
        sum += w[o * 6 + k] * run.inputs[0].data[t * 6 + k];
      return sum;
    });
  }
}
