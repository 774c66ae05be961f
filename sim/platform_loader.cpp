#include "sim/platform_loader.hpp"
#include "core/error.hpp"
#include "sim/platform_cache.hpp"
#include "sim/platform_view_json.hpp"
#include "sim/simgrid_module.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pipesplit::sim {

namespace {

// The view SimGrid gives of the platform, loaded in a child process (its JSON).
std::string view_from_simgrid(const std::string& path)
{
  std::string looking_up; // the host pair whose route the child was looking up when last heard of, if any
  const ChildResult child =
      run_in_child([&](const Progress& progress) { return simgrid_module().platform_view_json(path, progress); },
                   [&looking_up](const std::string& pair) { looking_up = pair; });
  if (child.exit.ok())
    return child.payload;
  const std::string complaint = simgrid_complaint(child.exit.diagnostics);
  if (child.exit.signalled && !looking_up.empty())
    throw InputError(path, "platform",
                     fmt::format("no route from {}: SimGrid failed looking it up ({}); check the routes, and the "
                                 "zoneRoutes between zones, that should join them",
                                 looking_up, complaint));
  if (child.exit.signalled)
    throw InputError(path, "", "SimGrid rejected the platform: " + complaint);
  child.exit.rethrow();
}

// The file's bytes, or nullopt when it cannot be read (SimGrid then says why, as before).
std::optional<std::string> file_bytes(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in || in.bad())
    return std::nullopt;
  return bytes.str();
}

} // namespace

Platform load_platform_view(const std::string& path)
{
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path, "", "no such platform file");
  const auto bytes              = file_bytes(path);
  const std::string producer    = bytes ? platform_view_producer() : "";
  const PlatformViewCache cache = producer.empty() ? PlatformViewCache("") : PlatformViewCache::of_user();
  const std::string key         = producer.empty() ? "" : platform_view_key(*bytes, producer);
  if (const auto cached = cache.find(key))
    try {
      return platform_view_from_json(*cached, path);
    } catch (const InputError&) { // an entry from another version that reads otherwise: made again below
    }
  const std::string view_json = view_from_simgrid(path);
  Platform view               = platform_view_from_json(view_json, path);
  cache.store(key, view_json);
  return view;
}

} // namespace pipesplit::sim
