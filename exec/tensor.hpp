#pragma once
// An activation tensor as stages pass it on: float32, batch 1, the layer's shape; images ([C, H, W]) are stored
// channels-last (element (c, h, w) at (h W + w) C + c, the layout oneDNN's fast kernels use), other ranks row-major
// ([T, D] sequences). Its byte size is the one the chain's cuts count.

#include "core/model.hpp"
#include "exec/layer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pipesplit::exec {

struct Tensor {
  std::string name; // the producing layer, or the model input's name
  Shape shape;
  std::vector<float> data;

  Tensor() = default;
  Tensor(std::string tensor_name, Shape tensor_shape);
  double bytes() const { return static_cast<double>(data.size() * sizeof(float)); }
};

// Deterministic pseudo-random numbers keyed by (seed, name): the same layer gets the same weights whichever stage
// builds it, on any machine (splitmix64, no standard-library distribution).
class RandomStream {
public:
  RandomStream(uint64_t seed, const std::string& name);
  float uniform(float low, float high); // [low, high)
  void fill(std::vector<float>& values, float low, float high);

private:
  uint64_t state_;
};

// The model's input for a run: uniform in [-1, 1), or token ids in [0, vocabulary) when the first layer looks them
// up in an embedding table (an `embedding`, or a `gather` from a constant table).
Tensor random_input(const Model& model, uint64_t seed);

} // namespace pipesplit::exec
