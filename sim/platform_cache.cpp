#include "sim/platform_cache.hpp"
#include "core/output_file.hpp"
#include "core/sha256.hpp"
#include "core/version.hpp"
#include "sim/simgrid_module.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pipesplit::sim {

namespace {

// An entry: this header line, the view's SHA-256 on the second line, then the view.
constexpr const char* entry_header = "pipesplit platform view 1";

} // namespace

PlatformViewCache PlatformViewCache::of_user()
{
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/')
    return PlatformViewCache(std::string(xdg) + "/pipesplit/platform-views");
  const char* home = std::getenv("HOME");
  if (home && home[0] == '/')
    return PlatformViewCache(std::string(home) + "/.cache/pipesplit/platform-views");
  return PlatformViewCache("");
}

std::string PlatformViewCache::entry_path(const std::string& key) const
{
  return folder_ + "/" + key + ".json";
}

std::optional<std::string> PlatformViewCache::find(const std::string& key) const
{
  if (folder_.empty())
    return std::nullopt;
  std::ifstream in(entry_path(key), std::ios::binary);
  std::string header, digest;
  if (!in || !std::getline(in, header) || header != entry_header || !std::getline(in, digest))
    return std::nullopt;
  std::ostringstream view;
  view << in.rdbuf();
  if (in.bad() || core::sha256_hex(view.str()) != digest)
    return std::nullopt;
  return view.str();
}

void PlatformViewCache::store(const std::string& key, const std::string& view_json) const
{
  if (folder_.empty())
    return;
  try {
    std::error_code ignored;
    std::filesystem::create_directories(folder_, ignored);
    core::write_file_atomically(entry_path(key),
                                fmt::format("{}\n{}\n{}", entry_header, core::sha256_hex(view_json), view_json));
  } catch (const std::exception&) { // a read-only or full disk: the next run loads the platform again
  }
}

std::string platform_view_key(const std::string& platform_bytes, const std::string& producer)
{
  return core::sha256_hex(producer + '\n' + core::sha256_hex(platform_bytes));
}

std::string platform_view_producer()
{
  const std::string module = simgrid_module_path();
  struct stat file {};
  if (stat(module.c_str(), &file) != 0)
    return "";
  return fmt::format("pipesplit {} {}; SimGrid {}; module {} {} {}.{:09}", core::tool_version, core::tool_revision,
                     PIPESPLIT_SIMGRID_HEADERS_VERSION, module, file.st_size, file.st_mtim.tv_sec,
                     file.st_mtim.tv_nsec);
}

} // namespace pipesplit::sim
