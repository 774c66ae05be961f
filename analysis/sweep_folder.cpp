#include "analysis/sweep_folder.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "models/zoo/zoo.hpp"
#include "scenario/scenario.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

const char* const provenance_file = "provenance.json";
// What a sweep writes into its folder: removed by --force, together with the provenance.
const char* const results_files[] = {"points.csv", "results.csv", "progress.csv", "failure.txt"};

bool holds_results(const fs::path& dir)
{
  for (const char* name : results_files)
    if (fs::exists(dir / name))
      return true;
  return false;
}

// "the scenario (a1b2...) differs" for every input whose digest differs; the version too.
std::string differences(const nlohmann::json& ours, const nlohmann::json& theirs)
{
  std::string out;
  auto note = [&out](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
  if (ours.value("pipesplit", "") != theirs.value("pipesplit", ""))
    note(fmt::format("made by pipesplit {}, this is {}", theirs.value("pipesplit", "?"), ours.value("pipesplit", "?")));
  const auto& a = ours.at("inputs");
  const auto& b = theirs.value("inputs", nlohmann::json::array());
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size() || i >= b.size()) {
      note("a different set of input files");
      break;
    }
    if (a[i] != b[i])
      note(fmt::format("its {} differs from this {}", b[i].value("role", "?"), a[i].value("role", "?")));
  }
  const auto no_items = nlohmann::json::array();
  if (ours.value("simulate_cfg", no_items) != theirs.value("simulate_cfg", no_items))
    note(fmt::format("its SimGrid items (simulate_cfg, sweep file then --cfg) are {}, these are {}",
                     theirs.value("simulate_cfg", no_items).dump(), ours.value("simulate_cfg", no_items).dump()));
  return out.empty() ? "a different sweep" : out;
}

} // namespace

std::vector<InputFile> sweep_input_files(const SweepSpec& spec)
{
  std::vector<InputFile> files{hashed_input("sweep", spec.file)};
  for (auto& file : scenario_input_files(read_scenario(spec.scenario)))
    files.push_back(file);
  // Model files an axis names, resolved as the scenario resolves its own.
  for (const Axis& axis : spec.axes)
    if (axis.path == "model")
      for (const AxisValue& value : axis.values)
        if (const auto name = to_string(value); !find_zoo_model(name)) {
          const fs::path path =
              fs::path(name).is_absolute() ? fs::path(name) : fs::path(spec.scenario).parent_path() / name;
          files.push_back(hashed_input("model axis value", path.string()));
        }
  return files;
}

nlohmann::json sweep_record(const Provenance& provenance, const std::vector<std::string>& simulate_cfg)
{
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& input : provenance.inputs)
    inputs.push_back({{"role", input.role}, {"sha256", input.sha256}});
  nlohmann::json record = provenance.to_json();
  record["identity"]    = {
         {"pipesplit", provenance.versions.at("pipesplit")}, {"inputs", inputs}, {"simulate_cfg", simulate_cfg}};
  return record;
}

void expect_same_sweep(const nlohmann::json& ours, const nlohmann::json& theirs, const std::string& theirs_where)
{
  if (ours.at("identity") != theirs.at("identity"))
    throw InputError(theirs_where, "",
                     "holds the results of another sweep: " + differences(ours.at("identity"), theirs.at("identity")));
}

nlohmann::json read_sweep_record(const std::string& dir)
{
  const fs::path file = fs::path(dir) / provenance_file;
  std::ifstream in(file);
  if (!in)
    throw InputError(dir, "", fmt::format("holds no {}: not a sweep folder of this pipesplit", provenance_file));
  try {
    nlohmann::json record = nlohmann::json::parse(in);
    record.at("identity");
    return record;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string(), "", std::string("unreadable: ") + e.what());
  }
}

void claim_sweep_folder(const std::string& dir_name, const nlohmann::json& record, FolderUse use, bool force)
{
  const fs::path dir(dir_name);
  const nlohmann::json& ours = record.at("identity");
  std::error_code error;
  fs::create_directories(dir, error);
  if (error)
    throw InputError(dir_name, "--out", "cannot create the folder: " + error.message());
  for (const char* name : results_files)
    if (fs::is_symlink(dir / name))
      throw InputError((dir / name).string(), "", "is a symbolic link: pipesplit does not write through links");
  const bool has_results = holds_results(dir);
  const bool claimed     = fs::exists(dir / provenance_file);
  if (claimed || has_results) {
    std::string conflict;
    if (!claimed)
      conflict = "holds results but no provenance.json (another sweep, or an older pipesplit)";
    else if (const auto theirs = read_sweep_record(dir_name).at("identity"); theirs != ours)
      conflict = "holds the results of another sweep: " + differences(ours, theirs);
    else if (use == FolderUse::Start && has_results)
      conflict = "holds this sweep's results already: add --resume to complete them";
    if (!conflict.empty() && !force)
      throw InputError(dir_name, "--out",
                       conflict + (conflict.find("--resume") == std::string::npos
                                       ? "; use another folder, or --force to start it over"
                                       : ", or --force to start over"));
    if (!conflict.empty())
      for (const char* name : results_files)
        fs::remove(dir / name);
  }
  write_file_atomically((dir / provenance_file).string(), record.dump(2) + "\n");
}

} // namespace pipesplit::analysis
