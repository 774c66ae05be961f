#pragma once
// What the kernel tests share (test_kernels.cpp, test_kernels_data.cpp): the weights' random streams redrawn, a
// layer run alone on random inputs, element access in the executor's layouts, and the comparison with a naive
// reference: 1e-5 absolute plus 1e-4 relative to the output's largest magnitude.

#include "exec/stage_runner.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

namespace pipesplit::exec::checks {

constexpr uint64_t seed = 5;

inline std::vector<float> draw(const std::string& name, size_t count, float low, float high)
{
  std::vector<float> values(count);
  RandomStream(seed, name).fill(values, low, high);
  return values;
}

inline float he_bound(double fan_in)
{
  return static_cast<float>(std::sqrt(6.0 / fan_in));
}

// Channels-last element (c, h, w) of a [C, H, W] tensor.
inline double at(const Tensor& t, int64_t c, int64_t h, int64_t w)
{
  return t.data[static_cast<size_t>((h * t.shape[2] + w) * t.shape[0] + c)];
}

// Runs the model's last layer alone, its inputs drawn at random; returns them and the output.
struct Run {
  std::vector<Tensor> inputs;
  Tensor output;
};

inline Run run_last_layer(const Model& model)
{
  const Chain chain = build_chain(model, ChainMode::Layers);
  const int last    = chain.size() - 1;
  std::vector<Tensor> inputs;
  {
    StageRunner before(model, chain, 0, std::max(last - 1, 0), {1, seed});
    inputs = last == 0 ? std::vector<Tensor>{random_input(model, seed)}
                       : before.run(std::vector<Tensor>{random_input(model, seed)});
  }
  StageRunner runner(model, chain, last, last, {1, seed});
  auto outputs = runner.run(inputs);
  return {inputs, outputs.front()};
}

inline void check_against(const Tensor& output, const std::function<double(size_t)>& reference)
{
  double largest = 0;
  for (size_t i = 0; i < output.data.size(); ++i)
    largest = std::max(largest, std::abs(reference(i)));
  for (size_t i = 0; i < output.data.size(); ++i) {
    INFO("element " << i);
    REQUIRE(std::abs(output.data[i] - reference(i)) <= 1e-5 + 1e-4 * largest);
  }
}

// Reference of a [C, H, W] output: `value(c, h, w)`, compared in channels-last order.
inline void check_image(const Tensor& output, const std::function<double(int64_t, int64_t, int64_t)>& value)
{
  const int64_t channels = output.shape[0], width = output.shape[2];
  check_against(output, [&](size_t i) {
    const auto index = static_cast<int64_t>(i);
    return value(index % channels, index / channels / width, index / channels % width);
  });
}

inline const Tensor& input_named(const Run& run, const std::string& name)
{
  for (const auto& t : run.inputs)
    if (t.name == name)
      return t;
  FAIL("no input " << name);
  return run.inputs.front();
}

// `model` with a layer of `op` appended by hand (ops the ONNX import makes and the builder does not).
inline Model with_layer(Model model, const std::string& op, std::vector<std::string> inputs, Shape output,
                        OpAttributes a)
{
  a.present = true;
  Layer layer;
  layer.name         = "last";
  layer.op           = op;
  layer.inputs       = std::move(inputs);
  layer.output_shape = output;
  layer.output_bytes = static_cast<double>(element_count(output)) * 4;
  layer.attributes   = a;
  model.layers.push_back(layer);
  return model;
}

// Row-major element of `t` at `index` (a [C, H, W] tensor read channels-last).
inline double element(const Tensor& t, const Shape& index)
{
  if (t.shape.size() == 3)
    return at(t, index[0], index[1], index[2]);
  size_t offset = 0;
  for (size_t i = 0; i < index.size(); ++i)
    offset = offset * static_cast<size_t>(t.shape[i]) + static_cast<size_t>(index[i]);
  return t.data[offset];
}

// The index of element `i` of a tensor of `shape` in its storage order (channels-last for [C, H, W]).
inline Shape index_of(size_t i, const Shape& shape)
{
  Shape index(shape.size());
  auto rest = static_cast<int64_t>(i);
  if (shape.size() == 3) {
    index[0] = rest % shape[0];
    index[2] = rest / shape[0] % shape[2];
    index[1] = rest / shape[0] / shape[2];
    return index;
  }
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = rest % shape[d];
    rest /= shape[d];
  }
  return index;
}

} // namespace pipesplit::exec::checks
