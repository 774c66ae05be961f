#pragma once
// The model file format (YAML), documented in the README: a DAG of layers with FLOP, MAC, parameters and tensor
// sizes, and optional measured profiles. Every quantity's unit is in its key name.

#include "core/model.hpp"
#include "models/layer.hpp"

#include <string>

namespace pipesplit::models {

inline constexpr const char* model_format_tag = "pipesplit-model/1";

Model read_model_file(const std::string& path); // throws InputError naming the file, field and line
void write_model_file(const Model& model, const std::string& path);
std::string model_to_yaml(const Model& model);

// A zoo name, or a path to a model file (resolved by the caller). `resolution` > 0 rebuilds a resizable zoo model
// for a square input of that side in pixels.
Model load_model(const std::string& zoo_name_or_path, int resolution = 0);

} // namespace pipesplit::models
