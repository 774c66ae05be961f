#pragma once
// Small helpers for tests of readers: files written on the fly, and the message of the InputError a call throws.

#include "core/error.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace pipesplit::test {

// `text` written to a file named `name` in the temporary folder; returns its path.
inline std::string temp_file(const std::string& name, const std::string& text)
{
  const auto path = std::filesystem::temp_directory_path() / ("pipesplit_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

// The message of the InputError `f` throws, or "no error".
template <typename F>
std::string error_of(F&& f)
{
  try {
    f();
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "no error";
}

} // namespace pipesplit::test
