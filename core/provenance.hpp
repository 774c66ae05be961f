#pragma once
// What made an output: the tool's version (and SimGrid's, added by the layers that use it), the command line, and
// every input file with its SHA-256. Written into result files and sweep folders so that results can be traced, and
// so that a folder refuses to mix results of different inputs.

#include "core/layer.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace pipesplit::core {

struct InputFile {
  std::string role; // "scenario", "platform", "model", "calibration", "sweep", ...
  std::string path;
  std::string sha256;
};

// The file's digest now; throws InputError when it cannot be read.
InputFile hashed_input(const std::string& role, const std::string& path);

struct Provenance {
  std::map<std::string, std::string> versions; // "pipesplit" (version and git revision), "simgrid", ...
  std::vector<std::string> command_line;
  std::vector<InputFile> inputs;

  Provenance(); // with pipesplit's version
  nlohmann::json to_json() const;
};

} // namespace pipesplit::core
