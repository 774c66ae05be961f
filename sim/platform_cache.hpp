#pragma once
// A content-addressed cache of platform views (sim/platform_view_json.hpp), so that a command that only reads a
// platform does not start SimGrid at all (sim/simgrid_module.hpp) when the same file was loaded before. An entry's key
// is the SHA-256 of the platform file's bytes and of what made the view: pipesplit's version and revision, SimGrid's
// version, and the SimGrid module's file identity (path, size, modification time), so a rebuilt or upgraded pipesplit
// never reads an older one's views. Entries are checked (a digest of the view) and a damaged or unreadable one is
// ignored and rewritten; a cache that cannot be written is simply not used: it never refuses anything.

#include "sim/layer.hpp"

#include <optional>
#include <string>

namespace pipesplit::sim {

class PlatformViewCache {
public:
  // $XDG_CACHE_HOME/pipesplit/platform-views (an absolute XDG_CACHE_HOME), else ~/.cache/pipesplit/platform-views;
  // none when neither is known.
  static PlatformViewCache of_user();
  explicit PlatformViewCache(std::string folder) : folder_(std::move(folder)) {} // "": no cache

  // The view's JSON stored under `key`, when an intact entry holds it.
  std::optional<std::string> find(const std::string& key) const;
  // Stores it (written atomically: core/output_file.hpp); any failure is ignored.
  void store(const std::string& key, const std::string& view_json) const;
  const std::string& folder() const { return folder_; }

private:
  std::string entry_path(const std::string& key) const;
  std::string folder_;
};

// The key of a platform file's bytes, made by `producer` (platform_view_producer() for the real views).
std::string platform_view_key(const std::string& platform_bytes, const std::string& producer);

// What makes the views of this process: pipesplit's and SimGrid's versions and the module's identity; "" when the
// module is not there (the loading then fails, saying so).
std::string platform_view_producer();

} // namespace pipesplit::sim
