#include "core/provenance.hpp"
#include "core/sha256.hpp"
#include "core/version.hpp"

namespace pipesplit::core {

InputFile hashed_input(const std::string& role, const std::string& path)
{
  return InputFile{role, path, sha256_file(path)};
}

Provenance::Provenance()
{
  versions["pipesplit"] = std::string(tool_version) + " (" + tool_revision + ")";
}

nlohmann::json Provenance::to_json() const
{
  nlohmann::json inputs_json = nlohmann::json::array();
  for (const auto& input : inputs)
    inputs_json.push_back({{"role", input.role}, {"path", input.path}, {"sha256", input.sha256}});
  return {{"versions", versions}, {"command_line", command_line}, {"inputs", inputs_json}};
}

} // namespace pipesplit::core
