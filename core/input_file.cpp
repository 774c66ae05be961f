#include "core/input_file.hpp"
#include "core/error.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace pipesplit::core {

std::string read_input_file(const std::string& path)
{
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status))
    throw InputError(path, "", "no such file");
  if (std::filesystem::is_directory(status))
    throw InputError(path, "", "is a folder, not a file");
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw InputError(path, "", std::string("cannot read the file: ") + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad())
    throw InputError(path, "", "cannot read the file");
  return text;
}

} // namespace pipesplit::core
