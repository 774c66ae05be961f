#pragma once
// The scenario file (YAML): a platform, a model and the deployment options. Relative paths resolve against the
// scenario file's folder. Format documented in the README.

#include "core/provenance.hpp"
#include "cost/problem.hpp"
#include "scenario/layer.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pipesplit::scenario {

struct SimulationOptions {
  int inferences = 500; // inputs measured after warm-up
  int warmup     = 50;  // inputs discarded before measuring
  uint64_t seed  = 1;   // for the source's random arrivals, if any
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string platform_file;    // resolved path
  std::string model;            // zoo name or resolved path of a model file
  int model_resolution = 0;     // square input side in pixels for a resizable zoo model; 0: its published size
  std::string calibration_file; // resolved path of a calibration file (calibration.hpp), empty for none
  ChainMode chain = ChainMode::Blocks;
  std::vector<std::string> devices; // empty: every host of the platform
  std::optional<std::string> source;
  std::optional<std::string> sink;
  Deployment deployment;
  std::map<std::string, double> parallel_fraction; // per-op-type overrides of the compute model
  SimulationOptions simulation;
  std::map<std::string, std::string> field_location; // field path -> "file:line", for later error messages

  std::string where(const std::string& field) const; // "file:line" of a field, or the file
};

Scenario read_scenario(const std::string& path);
// From an already loaded document (sweeps edit the document before parsing it).
Scenario parse_scenario(const YAML::Node& document, const std::string& path);

// The files a scenario reads (itself, its platform, its model when not a zoo name, its calibration), for provenance.
std::vector<InputFile> scenario_input_files(const Scenario& scenario);

// Resolve host names against the platform and build the problem. Throws InputError naming the scenario field.
Problem make_problem(const Scenario& scenario, Platform platform, const Model& model);
// The same with the chain already built (build_chain(model, scenario.chain)): a sweep builds it once per model, not
// once per point.
Problem make_problem(const Scenario& scenario, Platform platform, const Model& model, Chain chain);

} // namespace pipesplit::scenario
