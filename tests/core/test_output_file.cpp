// Outputs are never lost or half-written (core/output_file.hpp): on a full disk or a read-only folder the write fails
// with InputError and the previous file stays intact, no temporary file is left, and a planted symbolic link is
// replaced rather than written through. The full disk is a small tmpfs mounted by the test (root only).

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "tests/support/small_disk.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace pipesplit::core;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

size_t entries(const fs::path& dir)
{
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

} // namespace

TEST_CASE("a full disk fails the write and keeps the previous file", "[output]")
{
  if (geteuid() != 0) {
    WARN("skipped: mounting a small tmpfs needs root");
    return;
  }
  pipesplit::test::SmallDisk disk("output", "size=64k");
  REQUIRE(disk.mounted());
  const auto target = disk.dir() / "report.md";
  write_file_atomically(target.string(), "the previous report\n");
  CHECK_THROWS_WITH(write_file_atomically(target.string(), std::string(1 << 20, 'x')),
                    Catch::Contains("report.md") && Catch::Contains("No space left on device"));
  CHECK(read_text(target) == "the previous report\n");
  CHECK(entries(disk.dir()) == 1); // no temporary file left behind
  disk.remount_read_only();
  CHECK_THROWS_WITH(write_file_atomically(target.string(), "new"), Catch::Contains("Read-only file system"));
  CHECK(read_text(target) == "the previous report\n");
}

TEST_CASE("a symbolic link at the target is replaced, never written through", "[output]")
{
  const auto dir = fs::temp_directory_path() / "pipesplit_output_link";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "precious") << "keep me";
  fs::create_symlink(dir / "precious", dir / "result.json");
  write_file_atomically((dir / "result.json").string(), "{}\n");
  CHECK_FALSE(fs::is_symlink(dir / "result.json"));
  CHECK(read_text(dir / "result.json") == "{}\n");
  CHECK(read_text(dir / "precious") == "keep me");
}
