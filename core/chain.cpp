#include "core/chain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace pipesplit::core {

ChainMode parse_chain_mode(const std::string& text)
{
  if (text == "blocks")
    return ChainMode::Blocks;
  if (text == "layers")
    return ChainMode::Layers;
  throw std::invalid_argument(fmt::format("unknown chain mode '{}' (expected blocks or layers)", text));
}

std::string to_string(ChainMode mode)
{
  return mode == ChainMode::Blocks ? "blocks" : "layers";
}

double Chain::total_flop() const
{
  double sum = 0;
  for (const auto& block : blocks)
    sum += block.flop;
  return sum;
}

namespace {

// A tensor lives from its producer's position to its last consumer's position; position -1 is the model input and
// position n (one past the last layer) is the sink, which consumes every tensor nobody else reads. A layer with
// output parts is one tensor for counting (where the blocks chain cuts) but each part crosses a cut on its own.
struct Lifetime {
  int producer;
  int last_consumer;
  double bytes;
};

std::vector<Lifetime> tensor_lifetimes(const Model& model)
{
  const int n = static_cast<int>(model.layers.size());
  std::map<std::string, int> position{{model.input_name, -1}};
  for (int i = 0; i < n; ++i)
    position[model.layers[i].name] = i;
  std::vector<Lifetime> lifetimes(n + 1, Lifetime{0, -2, 0});
  lifetimes[0] = {-1, -2, model.input_bytes}; // slot 0: the model input; slot i + 1: layer i
  for (int i = 0; i < n; ++i)
    lifetimes[i + 1] = {i, -2, model.layers[i].output_bytes};
  for (int i = 0; i < n; ++i)
    for (const auto& input : model.layers[i].inputs) {
      auto& lifetime         = lifetimes[position.at(input) + 1];
      lifetime.last_consumer = std::max(lifetime.last_consumer, i);
    }
  for (auto& lifetime : lifetimes)
    if (lifetime.last_consumer == -2)
      lifetime.last_consumer = n;
  return lifetimes;
}

// The tensors whose bytes cross cuts: the lifetimes above, except that a layer with output parts ships each part
// from the layer to its own last reader.
std::vector<Lifetime> byte_lifetimes(const Model& model, std::vector<Lifetime> lifetimes)
{
  const int n = static_cast<int>(model.layers.size());
  for (int i = 0; i < n; ++i)
    for (const auto& part : model.layers[i].output_parts) {
      lifetimes[i + 1].bytes = 0;
      int last               = part.readers.empty() ? n : -1;
      for (const auto& reader : part.readers)
        last = std::max(last, model.layer_index(reader));
      lifetimes.push_back({i, last, part.bytes});
    }
  return lifetimes;
}

// Measured seconds of layers [first, last] per profile and thread count, kept only when every layer has one.
void attach_measurements(const Model& model, Block& block)
{
  for (const auto& [profile, measurements] : model.profiles) {
    std::map<int, std::map<int, double>> by_threads; // threads -> layer -> seconds
    for (const auto& m : measurements) {
      const int layer = model.layer_index(m.layer);
      if (layer >= block.first_layer && layer <= block.last_layer)
        by_threads[m.threads][layer] = m.seconds;
    }
    const auto layer_count = static_cast<size_t>(block.last_layer - block.first_layer + 1);
    for (const auto& [threads, seconds] : by_threads) {
      if (seconds.size() != layer_count)
        continue;
      double sum = 0;
      for (const auto& [layer, s] : seconds)
        sum += s;
      block.measured_s[profile][threads] = sum;
    }
  }
}

} // namespace

double layer_traffic_bytes(const Model& model, int index)
{
  const Layer& layer = model.layers[static_cast<size_t>(index)];
  double bytes       = layer.output_bytes + layer.param_bytes;
  for (const auto& input : layer.inputs) {
    const int producer = model.layer_index(input);
    bytes += producer < 0 ? model.input_bytes : model.layers[static_cast<size_t>(producer)].output_bytes;
  }
  return bytes;
}

Chain build_chain(const Model& model, ChainMode mode)
{
  model.validate();
  const int n          = static_cast<int>(model.layers.size());
  const auto lifetimes = tensor_lifetimes(model);
  // crossing[k]: bytes and count of tensors alive across the cut between layer k and layer k + 1.
  std::vector<double> crossing_bytes(n, 0);
  std::vector<int> crossing_count(n, 0);
  for (const auto& lifetime : lifetimes)
    for (int k = std::max(lifetime.producer, 0); k < lifetime.last_consumer && k < n; ++k)
      ++crossing_count[k];
  for (const auto& lifetime : byte_lifetimes(model, lifetimes))
    for (int k = std::max(lifetime.producer, 0); k < lifetime.last_consumer && k < n; ++k)
      crossing_bytes[k] += lifetime.bytes;

  Chain chain;
  chain.model_name  = model.name;
  chain.mode        = mode;
  chain.input_bytes = model.input_bytes;
  int first         = 0;
  for (int k = 0; k < n; ++k) {
    const bool last_layer = k == n - 1;
    const bool cut_here   = last_layer || mode == ChainMode::Layers || crossing_count[k] == 1;
    if (!cut_here)
      continue;
    Block block;
    block.first_layer = first;
    block.last_layer  = k;
    block.name        = first == k ? model.layers[k].name : model.layers[first].name + ".." + model.layers[k].name;
    for (int i = first; i <= k; ++i) {
      const auto& layer = model.layers[i];
      block.flop += layer.flop;
      block.macs += layer.macs;
      block.param_bytes += layer.param_bytes;
      block.flop_by_op[layer.op] += layer.flop;
      block.bytes_by_op[layer.op] += layer_traffic_bytes(model, i);
    }
    block.cut_bytes = crossing_bytes[k];
    attach_measurements(model, block);
    chain.blocks.push_back(std::move(block));
    first = k + 1;
  }
  return chain;
}

} // namespace pipesplit::core
