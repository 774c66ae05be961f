#include "bench/fuzz/fuzz_input.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace pipesplit::fuzz {

static const fs::path& work_folder()
{
  static const fs::path folder = [] {
    const fs::path path = fs::temp_directory_path() / ("pipesplit_fuzz_" + std::to_string(getpid()));
    fs::create_directories(path);
    fs::copy(fs::path(PIPESPLIT_SOURCE_DIR) / "tests" / "data", path, fs::copy_options::overwrite_existing);
    return path;
  }();
  return folder;
}

std::string input_file(const uint8_t* data, size_t size, const std::string& name)
{
  const fs::path path = work_folder() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

} // namespace pipesplit::fuzz
