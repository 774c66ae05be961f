#include "core/readable_output.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <unistd.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace pipesplit::core {

void write_readable_file(const std::string& path, const std::string& content,
                         const std::function<void(const std::string&)>& read_back)
{
  const fs::path copy = fs::temp_directory_path() /
                        ("pipesplit_read_back_" + std::to_string(getpid()) + "_" + fs::path(path).filename().string());
  write_file_atomically(copy.string(), content);
  try {
    read_back(copy.string());
  } catch (const Failure& e) {
    fs::remove(copy);
    throw InputError(path, "", std::string("not written: pipesplit could not read it back (") + e.what() + ")");
  }
  fs::remove(copy);
  write_file_atomically(path, content);
}

} // namespace pipesplit::core
