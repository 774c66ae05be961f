#include "models/profile_import.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/units.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

namespace pipesplit::models {

static std::vector<std::string> split_csv_line(const std::string& line)
{
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream stream(line);
  while (std::getline(stream, cell, ',')) {
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\r'))
      cell.pop_back();
    while (!cell.empty() && cell.front() == ' ')
      cell.erase(0, 1);
    cells.push_back(cell);
  }
  return cells;
}

static double number_field(const std::string& text, const std::string& where, const std::string& field)
{
  if (const auto value = parse_number(text))
    return *value;
  throw InputError(where, field, fmt::format("'{}' is not a number", text));
}

// A count pipesplit stores as an int (and writes back into model files): a whole number within [1, INT_MAX].
static int count_field(const std::string& text, const std::string& where, const std::string& field)
{
  const double value = number_field(text, where, field);
  if (value < 1 || value != std::floor(value) || value > std::numeric_limits<int>::max())
    throw InputError(where, field,
                     fmt::format("must be an integer within [1, {}], got {}", std::numeric_limits<int>::max(), text));
  return static_cast<int>(value);
}

// An event's duration bound (11.6 days), so that sums of them stay finite figures a model file can hold.
static constexpr double max_event_microseconds = 1e12;

// A text field of an onnxruntime event: absent is empty, any other type is refused.
static std::string text_field(const nlohmann::json& event, const char* key, const std::string& where)
{
  if (!event.contains(key))
    return "";
  if (!event[key].is_string())
    throw InputError(where, key, "must be a string");
  return event[key].get<std::string>();
}

std::vector<ImportedProfile> read_profile_csv(const std::string& path, const Model& model)
{
  std::istringstream file(read_input_file(path));
  const std::vector<std::string> expected{"layer", "device", "threads", "seconds", "repeats"};
  std::map<std::string, ImportedProfile> profiles;
  std::string line;
  int number  = 0;
  bool header = true;
  while (std::getline(file, line)) {
    ++number;
    if (line.empty() || line[0] == '#')
      continue;
    const auto cells        = split_csv_line(line);
    const std::string where = fmt::format("{}:{}", path, number);
    if (header) {
      if (cells != expected)
        throw InputError(where, "", "the header must be: layer,device,threads,seconds,repeats");
      header = false;
      continue;
    }
    if (cells.size() != expected.size())
      throw InputError(where, "", fmt::format("{} fields, expected 5", cells.size()));
    LayerMeasurement m;
    m.layer = cells[0];
    if (model.layer_index(m.layer) < 0)
      throw InputError(where, "layer", fmt::format("'{}' is not a layer of model {}", m.layer, model.name));
    m.threads = count_field(cells[2], where, "threads");
    m.seconds = number_field(cells[3], where, "seconds");
    m.repeats = count_field(cells[4], where, "repeats");
    if (m.seconds < 0)
      throw InputError(where, "seconds", fmt::format("a duration must be >= 0, got {}", m.seconds));
    auto& profile = profiles[cells[1]];
    profile.name  = cells[1];
    profile.measurements.push_back(m);
  }
  if (header)
    throw InputError(path, "", "empty: expected the header layer,device,threads,seconds,repeats");
  std::vector<ImportedProfile> out;
  for (auto& [name, profile] : profiles)
    out.push_back(std::move(profile));
  return out;
}

ImportedProfile read_onnxruntime_profile(const std::string& path, const Model& model, const std::string& profile,
                                         int threads)
{
  const std::string text = read_input_file(path);
  nlohmann::json events;
  try {
    events = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path, "", std::string("malformed JSON: ") + e.what());
  }
  if (!events.is_array())
    throw InputError(path, "", "expected onnxruntime's profile: a JSON array of events");
  const std::string suffix = "_kernel_time";
  std::map<std::string, std::pair<double, int>> total; // layer -> (microseconds, runs)
  int observed_threads = 1;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& event       = events[i];
    const std::string where = fmt::format("{}: event {}", path, i);
    if (!event.is_object() || text_field(event, "cat", where) != "Node")
      continue;
    std::string name = text_field(event, "name", where);
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    name.resize(name.size() - suffix.size());
    if (model.layer_index(name) < 0)
      throw InputError(where, "name", fmt::format("node '{}' is not a layer of model {}", name, model.name));
    if (!event.contains("dur") || !event["dur"].is_number())
      throw InputError(where, "dur", "missing or not a number");
    const double microseconds = event["dur"].get<double>();
    if (!(microseconds >= 0 && microseconds <= max_event_microseconds))
      throw InputError(where, "dur", fmt::format("a duration within [0, 1e12] us, got {}", microseconds));
    if (event.contains("args") && event["args"].contains("thread_scheduling_stats")) {
      const auto& stats = event["args"]["thread_scheduling_stats"];
      if (stats.contains("sub_threads") && stats["sub_threads"].is_array())
        observed_threads = std::max(observed_threads, 1 + static_cast<int>(stats["sub_threads"].size()));
    }
    total[name].first += microseconds;
    ++total[name].second;
  }
  if (total.empty())
    throw InputError(path, "", "no \"Node\" event named <node>_kernel_time: is this onnxruntime's profile?");
  ImportedProfile out;
  out.name       = profile;
  const int used = threads > 0 ? threads : observed_threads;
  for (const auto& [layer, sum] : total)
    out.measurements.push_back(LayerMeasurement{layer, used, sum.first / sum.second * 1e-6, sum.second});
  return out;
}

void merge_profile(Model& model, const ImportedProfile& profile)
{
  auto& measurements = model.profiles[profile.name];
  for (const auto& m : profile.measurements) {
    auto same = std::find_if(measurements.begin(), measurements.end(), [&](const LayerMeasurement& existing) {
      return existing.layer == m.layer && existing.threads == m.threads;
    });
    if (same != measurements.end())
      *same = m;
    else
      measurements.push_back(m);
  }
}

} // namespace pipesplit::models
