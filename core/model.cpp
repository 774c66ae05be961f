#include "core/model.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace pipesplit::core {

int64_t element_count(const Shape& shape)
{
  // Figures are doubles: beyond 2^53 elements they would no longer be exact (and int64 products wrap soon after).
  constexpr int64_t limit = int64_t{1} << 53;
  int64_t count           = 1;
  for (auto dim : shape) {
    if (dim < 0 || (dim > 0 && count > limit / dim))
      throw InputError(
          "", "", fmt::format("tensor shape {} is negative or has more than 2^53 elements", shape_to_string(shape)));
    count *= dim;
  }
  return count;
}

std::string shape_to_string(const Shape& shape)
{
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

// The sum of one figure over the layers.
static double layer_sum(const std::vector<Layer>& layers, double Layer::*figure)
{
  double sum = 0;
  for (const auto& layer : layers)
    sum += layer.*figure;
  return sum;
}

double Model::total_macs() const
{
  return layer_sum(layers, &Layer::macs);
}

double Model::total_flop() const
{
  return layer_sum(layers, &Layer::flop);
}

double Model::total_params() const
{
  return layer_sum(layers, &Layer::params);
}

double Model::total_param_bytes() const
{
  return layer_sum(layers, &Layer::param_bytes);
}

int Model::layer_index(const std::string& layer_name) const
{
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name)
      return static_cast<int>(i);
  return -1;
}

double Model::output_bytes() const
{
  return layers.empty() ? input_bytes : layers.back().output_bytes;
}

static void check_amount(const std::string& where, const std::string& field, double value)
{
  if (!(value >= 0) || !std::isfinite(value))
    throw InputError(where, field, fmt::format("must be a finite number >= 0, got {}", value));
}

// Parts sum to the layer's output bytes, and are read by later layers that name the layer as an input.
void Model::validate_output_parts(const std::string& where) const
{
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& layer      = layers[i];
    const std::string field = "layers." + layer.name + ".output_parts";
    double sum              = 0;
    for (const auto& part : layer.output_parts) {
      check_amount(where, field, part.bytes);
      sum += part.bytes;
      for (const auto& reader : part.readers) {
        const int position = layer_index(reader);
        if (position <= static_cast<int>(i) || std::find(layers[position].inputs.begin(), layers[position].inputs.end(),
                                                         layer.name) == layers[position].inputs.end())
          throw InputError(where, field,
                           fmt::format("reader '{}' is not a later layer that reads '{}'", reader, layer.name));
      }
    }
    if (!layer.output_parts.empty() && std::fabs(sum - layer.output_bytes) > 1e-9 * std::max(1.0, sum))
      throw InputError(where, field, fmt::format("parts sum to {} bytes, output_bytes is {}", sum, layer.output_bytes));
  }
}

void Model::validate() const
{
  const std::string where = source.empty() ? "model " + name : source;
  if (layers.empty())
    throw InputError(where, "layers", "the model has no layer");
  if (!(input_bytes > 0))
    throw InputError(where, "input.bytes", "must be > 0");
  std::set<std::string> known{input_name};
  for (const auto& layer : layers) {
    const std::string field = "layers." + layer.name;
    if (layer.name.empty())
      throw InputError(where, "layers", "a layer has no name");
    if (known.count(layer.name))
      throw InputError(where, field, "duplicate name (or same as the input)");
    if (layer.inputs.empty())
      throw InputError(where, field + ".inputs", "a layer needs at least one input");
    for (const auto& input : layer.inputs)
      if (!known.count(input))
        throw InputError(where, field + ".inputs",
                         fmt::format("'{}' is not the model input nor an earlier layer (layers must be listed in "
                                     "topological order)",
                                     input));
    check_amount(where, field + ".macs", layer.macs);
    check_amount(where, field + ".flop", layer.flop);
    check_amount(where, field + ".params", layer.params);
    check_amount(where, field + ".param_bytes", layer.param_bytes);
    check_amount(where, field + ".output_bytes", layer.output_bytes);
    known.insert(layer.name);
  }
  validate_output_parts(where);
  for (const auto& [profile, measurements] : profiles)
    for (const auto& m : measurements) {
      const std::string field = "profiles." + profile;
      if (layer_index(m.layer) < 0)
        throw InputError(where, field, fmt::format("layer '{}' is not in the model", m.layer));
      if (!(m.seconds >= 0) || !std::isfinite(m.seconds))
        throw InputError(where, field + "." + m.layer, fmt::format("seconds must be >= 0, got {}", m.seconds));
      if (m.threads < 1)
        throw InputError(where, field + "." + m.layer, fmt::format("threads must be >= 1, got {}", m.threads));
    }
}

} // namespace pipesplit::core
