// The cache of platform views (sim/platform_cache.hpp): a view taken from it is the one SimGrid gave of the same
// bytes, for every shipped platform; a damaged entry is ignored and made again; a cache that cannot be written changes
// nothing; failures are never cached. Each test case runs in a process of its own (ctest), with its own cache folder.

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "sim/platform_cache.hpp"
#include "sim/platform_loader.hpp"
#include "sim/platform_view_json.hpp"
#include "sim/simgrid_module.hpp"
#include "sim/simgrid_version.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace pipesplit;
using core::Platform;
namespace fs = std::filesystem;

static const std::string source_dir = PIPESPLIT_SOURCE_DIR;

namespace {

// A fresh, empty cache for this process: XDG_CACHE_HOME pointed at a new folder.
fs::path fresh_cache()
{
  const fs::path home = fs::temp_directory_path() / ("pipesplit_test_cache_" + std::to_string(getpid()));
  fs::remove_all(home);
  fs::create_directories(home);
  setenv("XDG_CACHE_HOME", home.c_str(), 1);
  return home / "pipesplit" / "platform-views";
}

std::vector<fs::path> entries(const fs::path& folder)
{
  std::vector<fs::path> found;
  if (fs::exists(folder))
    for (const auto& entry : fs::directory_iterator(folder))
      found.push_back(entry.path());
  return found;
}

std::string read_all(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string view_json(const std::string& platform)
{
  return sim::platform_view_to_json(sim::load_platform_view(platform));
}

} // namespace

TEST_CASE("platform cache: every shipped platform's cached view is SimGrid's, byte for byte", "[platform][cache]")
{
  const fs::path folder = fresh_cache();
  size_t platforms      = 0;
  for (const auto& file : fs::directory_iterator(source_dir + "/platforms")) {
    const std::string path       = file.path().string();
    const std::string by_simgrid = view_json(path); // the cache is empty for this file's bytes
    CHECK(entries(folder).size() == ++platforms);
    const std::string cached = view_json(path);
    CHECK(cached == by_simgrid);
    CHECK(entries(folder).size() == platforms); // read, not written again
  }
  CHECK(platforms >= 5);
}

TEST_CASE("platform cache: a view is read from the cache, and a damaged entry is made again", "[platform][cache]")
{
  const fs::path folder      = fresh_cache();
  const std::string platform = source_dir + "/platforms/pi4_ethernet.xml";
  const std::string original = view_json(platform);
  REQUIRE(entries(folder).size() == 1);
  const fs::path entry     = entries(folder).front();
  const std::string intact = read_all(entry);
  const std::string header = intact.substr(0, intact.find('\n') + 1);

  // An intact entry holding another view (a link's bandwidth halved) is what the loader returns: it read the cache.
  sim::PlatformViewCache cache(folder.string());
  Platform edited = sim::load_platform_view(platform);
  edited.links[0].bandwidth_Bps /= 2;
  const std::string edited_json = sim::platform_view_to_json(edited);
  cache.store(entry.stem().string(), edited_json);
  CHECK(view_json(platform) == edited_json);

  // The same entry with one byte changed and its digest left as it was: ignored, SimGrid's view again, rewritten.
  std::string damaged = intact;
  damaged[damaged.size() - 2] ^= 1;
  std::ofstream(entry, std::ios::binary | std::ios::trunc) << damaged;
  CHECK(view_json(platform) == original);
  CHECK(read_all(entry) == intact);

  // Truncated, or not an entry at all: the same.
  for (const std::string& broken : {intact.substr(0, intact.size() / 2), header, std::string("{}")}) {
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << broken;
    CHECK(view_json(platform) == original);
    CHECK(read_all(entry) == intact);
  }
}

TEST_CASE("platform cache: keys follow the bytes and what made the view", "[platform][cache]")
{
  const std::string bytes = read_all(source_dir + "/platforms/pi4_wifi.xml");
  const std::string key   = sim::platform_view_key(bytes, "producer A");
  CHECK(key.size() == 64);
  CHECK(key == sim::platform_view_key(bytes, "producer A"));
  CHECK(key != sim::platform_view_key(bytes, "producer B"));
  std::string other = bytes;
  other[other.size() / 2] ^= 1;
  CHECK(key != sim::platform_view_key(other, "producer A"));
  // The real producer names both versions and the module, which exists in the build tree.
  const std::string producer = sim::platform_view_producer();
  CHECK_THAT(producer, Catch::Contains("pipesplit ") && Catch::Contains("SimGrid 3.32") &&
                           Catch::Contains(sim::simgrid_module_path()));
  CHECK(fs::exists(sim::simgrid_module_path()));
}

TEST_CASE("platform cache: failures are not cached, and an unwritable cache changes nothing", "[platform][cache]")
{
  const fs::path folder         = fresh_cache();
  const std::string bad         = source_dir + "/tests/data/zero_bandwidth.xml";
  const std::string first_error = test::error_of([&] { sim::load_platform_view(bad); });
  CHECK_THAT(first_error, Catch::Contains("link l bandwidth"));
  CHECK(entries(folder).empty());
  CHECK(test::error_of([&] { sim::load_platform_view(bad); }) == first_error);

  // A cache folder that cannot exist (below a file): the view is SimGrid's, every time.
  const std::string blocker = test::temp_file("cache_blocker_" + std::to_string(getpid()), "a file");
  setenv("XDG_CACHE_HOME", blocker.c_str(), 1);
  const std::string platform = source_dir + "/platforms/pi4_wifi.xml";
  const std::string once     = view_json(platform);
  CHECK(view_json(platform) == once);
  fs::remove(blocker);

  // No cache at all: neither XDG_CACHE_HOME nor HOME.
  CHECK(sim::PlatformViewCache("").find("anything") == std::nullopt);
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  CHECK(sim::PlatformViewCache::of_user().folder().empty());
  CHECK(view_json(platform) == once);
}

TEST_CASE("platform cache: SimGrid's version, asked of the module once and remembered", "[platform][cache]")
{
  const fs::path folder   = fresh_cache();
  const std::string asked = sim::simgrid_module().version();
  CHECK_THAT(asked, Catch::Matches(R"(3\.32\.\d+)"));
  CHECK(sim::simgrid_version() == asked);
  REQUIRE(entries(folder).size() == 1);
  CHECK_THAT(read_all(entries(folder).front()), Catch::EndsWith("\n" + asked));
}
