#include "models/model_file.hpp"
#include "core/error.hpp"
#include "core/readable_output.hpp"
#include "core/yaml_field.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace pipesplit::models {

static Shape read_shape(const YamlField& field)
{
  Shape shape = field.as_int_list();
  for (auto dim : shape)
    if (dim <= 0)
      field.fail(fmt::format("dimensions must be > 0, got {}", dim));
  return shape;
}

static double read_amount(const YamlField& parent, const std::string& key, double fallback = 0)
{
  if (!parent.has(key))
    return fallback;
  const YamlField field = parent[key];
  const double value    = field.as_double();
  if (value < 0)
    field.fail(fmt::format("must be >= 0, got {}", value));
  return value;
}

static std::vector<int64_t> read_ints(const YamlField& parent, const std::string& key, size_t size, int64_t least)
{
  if (!parent.has(key))
    return {};
  const YamlField field       = parent[key];
  std::vector<int64_t> values = field.as_int_list();
  if (values.size() != size)
    field.fail(fmt::format("needs {} values, got {}", size, values.size()));
  for (auto value : values)
    if (value < least)
      field.fail(fmt::format("values must be >= {}, got {}", least, value));
  return values;
}

static int64_t read_count(const YamlField& parent, const std::string& key, int64_t fallback, int64_t least)
{
  if (!parent.has(key))
    return fallback;
  const int64_t value = parent[key].as_int();
  if (value < least)
    parent[key].fail(fmt::format("must be >= {}, got {}", least, value));
  return value;
}

// The op attributes execution needs (see core::OpAttributes); absent keys keep their defaults.
static OpAttributes read_attributes(const YamlField& node)
{
  node.expect_keys({"kernel",  "strides", "pads", "dilations", "groups",        "bias",         "count_include_pad",
                    "epsilon", "alpha",   "axis", "heads",     "rows",          "extra_tokens", "index",
                    "size",    "beta",    "k",    "perm",      "operand_shape", "step",         "pad_begin",
                    "pad_end", "mode",    "value"});
  OpAttributes a;
  a.present           = true;
  a.kernel            = read_ints(node, "kernel", 2, 1);
  a.strides           = read_ints(node, "strides", 2, 1);
  a.pads              = read_ints(node, "pads", 4, 0);
  a.dilations         = read_ints(node, "dilations", 2, 1);
  a.groups            = read_count(node, "groups", 1, 1);
  a.bias              = node.has("bias") && node["bias"].as_bool();
  a.count_include_pad = !node.has("count_include_pad") || node["count_include_pad"].as_bool();
  a.epsilon           = read_amount(node, "epsilon", a.epsilon);
  a.alpha             = node.has("alpha") ? node["alpha"].as_double() : 0;
  a.axis              = read_count(node, "axis", 0, 0);
  a.heads             = read_count(node, "heads", 0, 1);
  a.rows              = read_count(node, "rows", 0, 1);
  a.extra_tokens      = read_count(node, "extra_tokens", 0, 0);
  a.index             = read_count(node, "index", 0, 0);
  a.size              = read_count(node, "size", 0, 1);
  a.beta              = node.has("beta") ? node["beta"].as_double() : 0;
  a.k                 = node.has("k") ? node["k"].as_double() : 0;
  if (node.has("perm"))
    a.perm = read_ints(node, "perm", node["perm"].as_int_list().size(), -1); // a permutation: the executor checks it
  if (node.has("operand_shape"))
    a.operand_shape = read_shape(node["operand_shape"]);
  a.step = node.has("step") ? node["step"].as_int() : 1;
  if (a.step == 0)
    node["step"].fail("must not be 0");
  for (auto [key, list] : {std::pair{"pad_begin", &a.pad_begin}, std::pair{"pad_end", &a.pad_end}})
    if (node.has(key))
      *list = read_ints(node, key, node[key].as_int_list().size(), 0);
  a.mode  = node.has("mode") ? node["mode"].as_string() : "";
  a.value = node.has("value") ? node["value"].as_double() : 0;
  return a;
}

// [{bytes: 32768, readers: [a, b]}, ...]: the tensors of a layer with several outputs.
static std::vector<OutputPart> read_output_parts(const YamlField& list)
{
  std::vector<OutputPart> parts;
  for (size_t i = 0; i < list.size(); ++i) {
    const YamlField item = list.at(i);
    item.expect_keys({"bytes", "readers"});
    parts.push_back({read_amount(item, "bytes"), item["readers"].as_string_list()});
  }
  return parts;
}

static Layer read_layer(const YamlField& node, double dtype_bytes)
{
  node.expect_keys({"name", "op", "inputs", "macs", "flop", "params", "param_bytes", "output_shape", "output_bytes",
                    "output_parts", "attributes"});
  Layer layer;
  layer.name        = node["name"].as_string();
  layer.op          = node["op"].as_string();
  layer.inputs      = node["inputs"].as_string_list();
  layer.macs        = read_amount(node, "macs");
  layer.flop        = read_amount(node, "flop", 2 * layer.macs);
  layer.params      = read_amount(node, "params");
  layer.param_bytes = read_amount(node, "param_bytes", layer.params * dtype_bytes);
  if (node.has("output_shape"))
    layer.output_shape = read_shape(node["output_shape"]);
  if (node.has("output_bytes"))
    layer.output_bytes = read_amount(node, "output_bytes");
  else if (!layer.output_shape.empty())
    layer.output_bytes = static_cast<double>(element_count(layer.output_shape)) * dtype_bytes;
  else
    node.fail("needs output_shape or output_bytes");
  if (node.has("attributes"))
    layer.attributes = read_attributes(node["attributes"]);
  if (node.has("output_parts"))
    layer.output_parts = read_output_parts(node["output_parts"]);
  return layer;
}

static std::vector<LayerMeasurement> read_profile(const YamlField& list)
{
  std::vector<LayerMeasurement> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const YamlField item = list.at(i);
    item.expect_keys({"layer", "threads", "seconds", "repeats", "spread_s"});
    LayerMeasurement m;
    m.layer    = item["layer"].as_string();
    m.threads  = item.has("threads") ? static_cast<int>(item["threads"].as_int()) : 1;
    m.seconds  = item["seconds"].as_double();
    m.repeats  = item.has("repeats") ? static_cast<int>(item["repeats"].as_int()) : 1;
    m.spread_s = read_amount(item, "spread_s");
    if (m.seconds < 0)
      item["seconds"].fail(fmt::format("a duration must be >= 0, got {}", m.seconds));
    if (m.threads < 1)
      item["threads"].fail("must be >= 1");
    if (m.repeats < 1)
      item["repeats"].fail("must be >= 1");
    out.push_back(m);
  }
  return out;
}

static ProfileMachine read_machine(const YamlField& node)
{
  node.expect_keys({"cpu", "cores", "library", "whole_seconds"});
  ProfileMachine machine;
  machine.cpu     = node.has("cpu") ? node["cpu"].as_string() : "";
  machine.cores   = static_cast<int>(read_count(node, "cores", 0, 1));
  machine.library = node.has("library") ? node["library"].as_string() : "";
  if (node.has("whole_seconds")) {
    const YamlField whole = node["whole_seconds"];
    for (const auto& threads : whole.keys()) {
      int count = 0;
      try {
        count = std::stoi(threads);
      } catch (const std::exception&) {
        whole.fail(fmt::format("keys are thread counts, got '{}'", threads));
      }
      if (count < 1)
        whole.fail(fmt::format("thread counts must be >= 1, got {}", count));
      machine.whole_seconds[count] = read_amount(whole, threads);
    }
  }
  return machine;
}

Model read_model_file(const std::string& path)
{
  const YamlField root = YamlField::load_file(path);
  if (!root.is_map())
    root.fail("a model file is a mapping (see the README's model format)");
  root.expect_keys({"format", "name", "dtype_bytes", "input", "layers", "profiles", "profile_machines"});
  root.expect_format(model_format_tag);
  Model model;
  model.source      = path;
  model.name        = root["name"].as_string();
  model.dtype_bytes = root.has("dtype_bytes") ? root["dtype_bytes"].as_double() : 4;
  if (!(model.dtype_bytes > 0))
    root["dtype_bytes"].fail("must be > 0");
  const YamlField input = root["input"];
  input.expect_keys({"name", "shape", "bytes"});
  if (input.has("name"))
    model.input_name = input["name"].as_string();
  model.input_shape = read_shape(input["shape"]);
  model.input_bytes =
      read_amount(input, "bytes", static_cast<double>(element_count(model.input_shape)) * model.dtype_bytes);
  const YamlField layers = root["layers"];
  for (size_t i = 0; i < layers.size(); ++i)
    model.layers.push_back(read_layer(layers.at(i), model.dtype_bytes));
  if (root.has("profiles")) {
    const YamlField profiles = root["profiles"];
    for (const auto& name : profiles.keys())
      model.profiles[name] = read_profile(profiles[name]);
  }
  if (root.has("profile_machines")) {
    const YamlField machines = root["profile_machines"];
    for (const auto& name : machines.keys())
      model.profile_machines[name] = read_machine(machines[name]);
  }
  model.validate();
  return model;
}

static void emit_number(YAML::Emitter& out, double value)
{
  if (value == std::floor(value) && std::abs(value) < 9e15)
    out << static_cast<int64_t>(value);
  else
    out << value;
}

// Only what differs from the defaults, so a layer's line stays short.
static void emit_attributes(YAML::Emitter& out, const OpAttributes& a)
{
  const OpAttributes defaults;
  out << YAML::Key << "attributes" << YAML::Value << YAML::Flow << YAML::BeginMap;
  const std::pair<const char*, const std::vector<int64_t>*> lists[] = {{"kernel", &a.kernel},
                                                                       {"strides", &a.strides},
                                                                       {"pads", &a.pads},
                                                                       {"dilations", &a.dilations},
                                                                       {"operand_shape", &a.operand_shape},
                                                                       {"perm", &a.perm},
                                                                       {"pad_begin", &a.pad_begin},
                                                                       {"pad_end", &a.pad_end}};
  for (const auto& [key, values] : lists)
    if (!values->empty())
      out << YAML::Key << key << YAML::Value << YAML::Flow << *values;
  const std::pair<const char*, int64_t> counts[] = {
      {"groups", a.groups}, {"axis", a.axis}, {"heads", a.heads}, {"rows", a.rows}, {"extra_tokens", a.extra_tokens},
      {"index", a.index},   {"size", a.size}};
  for (const auto& [key, value] : counts)
    if (value != (std::string(key) == "groups" ? 1 : 0))
      out << YAML::Key << key << YAML::Value << value;
  if (a.bias)
    out << YAML::Key << "bias" << YAML::Value << true;
  if (!a.count_include_pad)
    out << YAML::Key << "count_include_pad" << YAML::Value << false;
  if (a.epsilon != defaults.epsilon)
    out << YAML::Key << "epsilon" << YAML::Value << a.epsilon;
  if (a.alpha != defaults.alpha)
    out << YAML::Key << "alpha" << YAML::Value << a.alpha;
  if (a.beta != defaults.beta)
    out << YAML::Key << "beta" << YAML::Value << a.beta;
  if (a.k != defaults.k)
    out << YAML::Key << "k" << YAML::Value << a.k;
  if (a.step != defaults.step)
    out << YAML::Key << "step" << YAML::Value << a.step;
  if (!a.mode.empty())
    out << YAML::Key << "mode" << YAML::Value << a.mode;
  if (a.value != defaults.value)
    out << YAML::Key << "value" << YAML::Value << a.value;
  out << YAML::EndMap;
}

static void emit_layer(YAML::Emitter& out, const Layer& layer)
{
  out << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << layer.name;
  out << YAML::Key << "op" << YAML::Value << layer.op;
  out << YAML::Key << "inputs" << YAML::Value << YAML::Flow << layer.inputs;
  const std::pair<const char*, double> amounts[] = {
      {"macs", layer.macs}, {"flop", layer.flop}, {"params", layer.params}, {"param_bytes", layer.param_bytes}};
  for (const auto& [key, value] : amounts) {
    out << YAML::Key << key << YAML::Value;
    emit_number(out, value);
  }
  out << YAML::Key << "output_shape" << YAML::Value << YAML::Flow << layer.output_shape;
  out << YAML::Key << "output_bytes" << YAML::Value;
  emit_number(out, layer.output_bytes);
  if (layer.attributes.present)
    emit_attributes(out, layer.attributes);
  if (!layer.output_parts.empty()) {
    out << YAML::Key << "output_parts" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& part : layer.output_parts) {
      out << YAML::BeginMap << YAML::Key << "bytes" << YAML::Value;
      emit_number(out, part.bytes);
      out << YAML::Key << "readers" << YAML::Value << part.readers << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

// The measured profiles and the machines they were measured on, when the model has them.
static void emit_measurements(YAML::Emitter& out, const Model& model)
{
  if (!model.profiles.empty()) {
    out << YAML::Key << "profiles" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, measurements] : model.profiles) {
      out << YAML::Key << name << YAML::Value << YAML::BeginSeq;
      for (const auto& m : measurements) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "layer" << YAML::Value << m.layer << YAML::Key << "threads"
            << YAML::Value << m.threads << YAML::Key << "seconds" << YAML::Value << m.seconds << YAML::Key << "repeats"
            << YAML::Value << m.repeats;
        if (m.spread_s > 0)
          out << YAML::Key << "spread_s" << YAML::Value << m.spread_s;
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  if (!model.profile_machines.empty()) {
    out << YAML::Key << "profile_machines" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, machine] : model.profile_machines) {
      out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
      out << YAML::Key << "cpu" << YAML::Value << machine.cpu << YAML::Key << "cores" << YAML::Value << machine.cores
          << YAML::Key << "library" << YAML::Value << machine.library;
      out << YAML::Key << "whole_seconds" << YAML::Value << YAML::Flow << machine.whole_seconds;
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
}

std::string model_to_yaml(const Model& model)
{
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << YAML::Comment("pipesplit model. Units: flop in FLOP (1 multiply-accumulate = 2 FLOP), macs in "
                       "multiply-accumulates, params in weights, *_bytes in bytes, seconds in seconds. Batch 1.");
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << model_format_tag;
  out << YAML::Key << "name" << YAML::Value << model.name;
  out << YAML::Key << "dtype_bytes" << YAML::Value;
  emit_number(out, model.dtype_bytes);
  out << YAML::Key << "input" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << model.input_name;
  out << YAML::Key << "shape" << YAML::Value << YAML::Flow << model.input_shape;
  out << YAML::Key << "bytes" << YAML::Value;
  emit_number(out, model.input_bytes);
  out << YAML::EndMap;
  out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  for (const auto& layer : model.layers)
    emit_layer(out, layer);
  out << YAML::EndSeq;
  emit_measurements(out, model);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void write_model_file(const Model& model, const std::string& path)
{
  write_readable_file(path, model_to_yaml(model), [](const std::string& written) { read_model_file(written); });
}

Model load_model(const std::string& zoo_name_or_path, int resolution)
{
  if (const ZooEntry* entry = find_zoo_model(zoo_name_or_path)) {
    if (resolution <= 0)
      return entry->build();
    if (!entry->build_at)
      throw InputError(zoo_name_or_path, "model_resolution", "this model's input size is fixed");
    try {
      return entry->build_at(resolution);
    } catch (const std::invalid_argument& e) {
      throw InputError(zoo_name_or_path, "model_resolution",
                       fmt::format("{} pixels do not fit the architecture: {}", resolution, e.what()));
    }
  }
  if (resolution > 0)
    throw InputError(zoo_name_or_path, "model_resolution", "only zoo models can be resized");
  if (std::filesystem::exists(zoo_name_or_path))
    return read_model_file(zoo_name_or_path);
  std::string names;
  for (const auto& entry : model_zoo())
    names += (names.empty() ? "" : ", ") + entry.name;
  throw InputError(zoo_name_or_path, "model", "neither a zoo model (" + names + ") nor an existing model file");
}

} // namespace pipesplit::models
