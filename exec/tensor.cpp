#include "exec/tensor.hpp"

namespace pipesplit::exec {

Tensor::Tensor(std::string tensor_name, Shape tensor_shape)
    : name(std::move(tensor_name)), shape(std::move(tensor_shape)), data(static_cast<size_t>(element_count(shape)))
{}

static uint64_t fnv1a(const std::string& text)
{
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

RandomStream::RandomStream(uint64_t seed, const std::string& name) : state_(seed * 0x9E3779B97F4A7C15ULL ^ fnv1a(name))
{}

float RandomStream::uniform(float low, float high)
{
  state_ += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state_;
  z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z          = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  const float unit = static_cast<float>(z >> 40) * (1.0f / 16777216.0f); // 24 bits: exact in a float
  return low + (high - low) * unit;
}

void RandomStream::fill(std::vector<float>& values, float low, float high)
{
  for (auto& value : values)
    value = uniform(low, high);
}

Tensor random_input(const Model& model, uint64_t seed)
{
  Tensor input(model.input_name, model.input_shape);
  RandomStream random(seed, model.input_name);
  const Layer& first = model.layers.front();
  const bool lookup  = first.op == "embedding" || (first.op == "gather" && !first.attributes.operand_shape.empty());
  if (lookup && first.attributes.rows > 0 && model.input_shape.size() == 1) {
    for (auto& id : input.data)
      id = static_cast<float>(static_cast<int64_t>(random.uniform(0, 1) * static_cast<float>(first.attributes.rows)));
  } else {
    random.fill(input.data, -1, 1);
  }
  return input;
}

} // namespace pipesplit::exec
