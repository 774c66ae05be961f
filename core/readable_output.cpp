#include "core/readable_output.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace pipesplit::core {

void write_readable_file(const std::string& path, const std::string& content,
                         const std::function<void(const std::string&)>& read_back)
{
  const std::string name = path == "-" ? "stdout" : fs::path(path).filename().string();
  const fs::path copy    = fs::temp_directory_path() / ("pipesplit_read_back_" + std::to_string(getpid()) + "_" + name);
  write_file_atomically(copy.string(), content);
  try {
    read_back(copy.string());
  } catch (const Failure& e) {
    fs::remove(copy);
    throw InputError(path, "", std::string("not written: pipesplit could not read it back (") + e.what() + ")");
  }
  fs::remove(copy);
  if (path != "-") {
    write_file_atomically(path, content);
    return;
  }
  std::cout << content << std::flush;
  if (!std::cout)
    throw std::runtime_error("cannot write to stdout");
}

} // namespace pipesplit::core
