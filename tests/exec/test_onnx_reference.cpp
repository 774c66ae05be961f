// Imported exports run whole against an independent evaluation: a naive interpreter written here evaluates every
// layer of the nn.TransformerEncoder and ViT (opset 13) exports in ONNX's definition of its op, in double precision, on
// row-major tensors (none of the executor's layouts, primitives or position maps), over the same random weights redrawn
// from the (seed, layer/part) streams the kernels document. Tolerance: 1e-4 absolute plus 1e-4 of the output's largest
// magnitude (float accumulation through two layers of attention, softmax and decomposed layer norms).

#include "exec/stage_runner.hpp"
#include "models/onnx/onnx_import.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace pipesplit;
using namespace pipesplit::exec;

namespace {

constexpr uint64_t seed = 11;

struct Values {
  Shape shape;
  std::vector<double> data; // row-major
};

std::vector<double> drawn(const Layer& layer, const std::string& part, int64_t count, float low, float high)
{
  std::vector<float> values(static_cast<size_t>(count));
  RandomStream(seed, layer.name + "/" + part).fill(values, low, high);
  return {values.begin(), values.end()};
}

Shape index_of(int64_t flat, const Shape& shape)
{
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

// numpy broadcasting: the element of `v` read at output index `index` (right-aligned, size-1 axes repeated).
double broadcast_at(const Values& v, const Shape& index)
{
  int64_t flat       = 0;
  const size_t shift = index.size() - v.shape.size();
  for (size_t d = 0; d < v.shape.size(); ++d)
    flat = flat * v.shape[d] + (v.shape[d] == 1 ? 0 : index[shift + d]);
  return v.data[static_cast<size_t>(flat)];
}

Values binary(const Layer& layer, const std::vector<Values>& in)
{
  const std::string& op = layer.op;
  const float low = op == "mul" || op == "div" ? 0.5f : -0.1f, high = op == "mul" || op == "div" ? 1.5f : 0.1f;
  Values second = in.size() == 2 ? in[1] : in[0];
  if (!layer.attributes.operand_shape.empty())
    second = {layer.attributes.operand_shape,
              drawn(layer, "constant", element_count(layer.attributes.operand_shape), low, high)};
  Values out{layer.output_shape, std::vector<double>(static_cast<size_t>(element_count(layer.output_shape)))};
  for (size_t i = 0; i < out.data.size(); ++i) {
    const Shape index = index_of(static_cast<int64_t>(i), out.shape);
    const double a = broadcast_at(in[0], index), b = broadcast_at(second, index);
    out.data[i] = op == "add" ? a + b : op == "sub" ? a - b : op == "mul" ? a * b : a / b;
  }
  return out;
}

// x W^T (+ b) over the last axis, W [N, K] drawn He-uniform; or the batched product of two activations.
Values product(const Layer& layer, const std::vector<Values>& in)
{
  Values out{layer.output_shape, std::vector<double>(static_cast<size_t>(element_count(layer.output_shape)))};
  const int64_t n = out.shape.back(), k = in[0].shape.back(), rows = element_count(in[0].shape) / k;
  if (in.size() == 2) { // [B, M, K] x [B, K, N]
    for (int64_t b = 0; b < rows / out.shape[out.shape.size() - 2]; ++b)
      for (int64_t m = 0; m < out.shape[out.shape.size() - 2]; ++m)
        for (int64_t j = 0; j < n; ++j) {
          const int64_t row = b * out.shape[out.shape.size() - 2] + m;
          double sum        = 0;
          for (int64_t q = 0; q < k; ++q)
            sum += in[0].data[static_cast<size_t>(row * k + q)] * in[1].data[static_cast<size_t>((b * k + q) * n + j)];
          out.data[static_cast<size_t>(row * n + j)] = sum;
        }
    return out;
  }
  const auto bound            = static_cast<float>(std::sqrt(6.0 / static_cast<double>(k)));
  const std::vector<double> w = drawn(layer, "weights", n * k, -bound, bound);
  const std::vector<double> b = layer.attributes.bias ? drawn(layer, "bias", n, -0.1f, 0.1f) : std::vector<double>(n);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      double sum = b[static_cast<size_t>(j)];
      for (int64_t q = 0; q < k; ++q)
        sum += in[0].data[static_cast<size_t>(r * k + q)] * w[static_cast<size_t>(j * k + q)];
      out.data[static_cast<size_t>(r * n + j)] = sum;
    }
  return out;
}

// Transpose (perm, -1 a new axis of size 1), Slice (axis, index, step): output index -> input index.
Values moved(const Layer& layer, const Values& in)
{
  Values out{layer.output_shape, std::vector<double>(static_cast<size_t>(element_count(layer.output_shape)))};
  const auto& a = layer.attributes;
  for (size_t i = 0; i < out.data.size(); ++i) {
    const Shape index = index_of(static_cast<int64_t>(i), out.shape);
    Shape from(in.shape.size(), 0);
    if (layer.op == "transpose")
      for (size_t d = 0; d < a.perm.size(); ++d) {
        if (a.perm[d] >= 0)
          from[static_cast<size_t>(a.perm[d])] = index[d];
      }
    else
      for (size_t d = 0; d < from.size(); ++d)
        from[d] = static_cast<int64_t>(d) == a.axis ? a.index + index[d] * a.step : index[d];
    out.data[i] = broadcast_at(in, from);
  }
  return out;
}

// Softmax along `axis`, ReduceMean over the axes from `axis` on.
Values along_axes(const Layer& layer, const Values& in)
{
  const auto axis = static_cast<size_t>(layer.attributes.axis);
  int64_t inner   = 1;
  for (size_t d = axis + (layer.op == "softmax" ? 1 : 0); d < in.shape.size(); ++d)
    inner *= in.shape[d];
  Values out{layer.output_shape, {}};
  if (layer.op == "reducemean") {
    for (size_t start = 0; start < in.data.size(); start += static_cast<size_t>(inner)) {
      double sum = 0;
      for (int64_t j = 0; j < inner; ++j)
        sum += in.data[start + static_cast<size_t>(j)];
      out.data.push_back(sum / static_cast<double>(inner));
    }
    return out;
  }
  const int64_t length = in.shape[axis];
  out.data             = in.data;
  for (int64_t outer = 0; outer < element_count(in.shape) / (length * inner); ++outer)
    for (int64_t j = 0; j < inner; ++j) {
      const auto at = [&](int64_t x) -> double& {
        return out.data[static_cast<size_t>((outer * length + x) * inner + j)];
      };
      double total = 0;
      for (int64_t x = 0; x < length; ++x)
        total += std::exp(at(x));
      for (int64_t x = 0; x < length; ++x)
        at(x) = std::exp(at(x)) / total;
    }
  return out;
}

// A convolution without groups or dilations (ViT's patch embedding), W [O, I, KH, KW] drawn He-uniform.
Values convolution(const Layer& layer, const Values& in)
{
  const auto& a          = layer.attributes;
  const Shape& o         = layer.output_shape;
  const int64_t channels = in.shape[0], kh = a.kernel[0], kw = a.kernel[1];
  const auto bound            = static_cast<float>(std::sqrt(6.0 / static_cast<double>(channels * kh * kw)));
  const std::vector<double> w = drawn(layer, "weights", o[0] * channels * kh * kw, -bound, bound);
  const std::vector<double> b = a.bias ? drawn(layer, "bias", o[0], -0.1f, 0.1f) : std::vector<double>(o[0]);
  Values out{o, {}};
  for (int64_t f = 0; f < o[0]; ++f)
    for (int64_t y = 0; y < o[1]; ++y)
      for (int64_t x = 0; x < o[2]; ++x) {
        double sum = b[static_cast<size_t>(f)];
        for (int64_t i = 0; i < channels; ++i)
          for (int64_t dy = 0; dy < kh; ++dy)
            for (int64_t dx = 0; dx < kw; ++dx) {
              const int64_t iy = y * a.strides[0] - a.pads[0] + dy, ix = x * a.strides[1] - a.pads[1] + dx;
              if (iy >= 0 && iy < in.shape[1] && ix >= 0 && ix < in.shape[2])
                sum += in.data[static_cast<size_t>((i * in.shape[1] + iy) * in.shape[2] + ix)] *
                       w[static_cast<size_t>(((f * channels + i) * kh + dy) * kw + dx)];
            }
        out.data.push_back(sum);
      }
  return out;
}

// Concat with a constant drawn in [-1, 1) at position `index`; Gather by one constant index.
Values joined_or_taken(const Layer& layer, std::vector<Values> in)
{
  const auto& a = layer.attributes;
  Values out{layer.output_shape, std::vector<double>(static_cast<size_t>(element_count(layer.output_shape)))};
  if (layer.op == "gather") {
    const int64_t length = in[0].shape[static_cast<size_t>(a.axis)];
    for (size_t i = 0; i < out.data.size(); ++i) {
      Shape from = index_of(static_cast<int64_t>(i), out.shape);
      from.insert(from.begin() + a.axis, a.index < 0 ? a.index + length : a.index);
      out.data[i] = broadcast_at(in[0], from);
    }
    return out;
  }
  if (!a.operand_shape.empty())
    in.insert(in.begin() + a.index, {a.operand_shape, drawn(layer, "constant", element_count(a.operand_shape), -1, 1)});
  for (size_t i = 0; i < out.data.size(); ++i) {
    Shape from  = index_of(static_cast<int64_t>(i), out.shape);
    size_t part = 0;
    while (from[static_cast<size_t>(a.axis)] >= in[part].shape[static_cast<size_t>(a.axis)])
      from[static_cast<size_t>(a.axis)] -= in[part++].shape[static_cast<size_t>(a.axis)];
    out.data[i] = broadcast_at(in[part], from);
  }
  return out;
}

Values evaluate(const Layer& layer, const std::vector<Values>& in)
{
  const std::string& op = layer.op;
  if (op == "add" || op == "sub" || op == "mul" || op == "div")
    return binary(layer, in);
  if (op == "matmul" || op == "fc")
    return product(layer, in);
  if (op == "transpose" || op == "slice")
    return moved(layer, in[0]);
  if (op == "softmax" || op == "reducemean")
    return along_axes(layer, in[0]);
  if (op == "conv")
    return convolution(layer, in[0]);
  if (op == "concat" || op == "gather")
    return joined_or_taken(layer, in);
  Values out{layer.output_shape, in[0].data}; // reshape: the row-major order kept
  for (auto& x : out.data)
    x = op == "relu"   ? std::max(x, 0.0)
        : op == "sqrt" ? std::sqrt(x)
        : op == "erf"  ? std::erf(x)
        : op == "pow"  ? std::pow(x, layer.attributes.beta)
                       : x;
  REQUIRE((op == "reshape" || op == "relu" || op == "sqrt" || op == "pow" || op == "erf"));
  return out;
}

} // namespace

// The model's input in row-major order (an image's lies channels-last in the executor).
Values row_major_input(const Tensor& input)
{
  Values v{input.shape, {input.data.begin(), input.data.end()}};
  if (input.shape.size() == 3)
    for (size_t i = 0; i < v.data.size(); ++i) {
      const Shape at = index_of(static_cast<int64_t>(i), input.shape);
      v.data[i]      = input.data[static_cast<size_t>((at[1] * input.shape[2] + at[2]) * input.shape[0] + at[0])];
    }
  return v;
}

TEST_CASE("the nn.TransformerEncoder and ViT exports run whole equal a naive evaluation of their layers", "[onnx]")
{
  for (const auto& [file, out] :
       {std::pair<std::string, Shape>{"tiny_encoder_op13.onnx", {16, 64}}, {"tiny_vit_op13.onnx", {10}}}) {
    INFO(file);
    const Model model  = import_onnx(std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/onnx/" + file);
    const Tensor input = random_input(model, 3);
    std::map<std::string, Values> tensors{{model.input_name, row_major_input(input)}};
    for (const auto& layer : model.layers) {
      INFO(layer.name);
      std::vector<Values> in;
      for (const auto& name : layer.inputs)
        in.push_back(tensors.at(name));
      tensors[layer.name] = evaluate(layer, in);
    }
    const Chain chain    = build_chain(model, ChainMode::Blocks);
    const Tensor output  = StageRunner(model, chain, 0, chain.size() - 1, {1, seed}).run(input);
    const Values& expect = tensors.at(model.layers.back().name);
    REQUIRE(output.shape == out); // rank 1 or 2: row-major in the executor too
    double largest = 0;
    for (double x : expect.data)
      largest = std::max(largest, std::abs(x));
    for (size_t i = 0; i < expect.data.size(); ++i) {
      INFO("element " << i);
      REQUIRE(std::abs(output.data[i] - expect.data[i]) <= 1e-4 + 1e-4 * largest);
    }
  }
}
