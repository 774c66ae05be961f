#pragma once
// What every harness shares: the fuzzer's bytes as a file the readers open (they take paths), and the rule the
// harnesses check: a reader either returns or throws a Failure (bad input, exit 2); anything else (another
// exception, a crash, a sanitizer report) is a bug the fuzzer reports.

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace pipesplit::fuzz {

// Writes `data` to `name` in this process's own folder, beside copies of tests/data (a scenario or sweep file's
// relative paths find the shipped platform and model files), and returns its path.
std::string input_file(const uint8_t* data, size_t size, const std::string& name);

template <typename Read>
void expect_failures_only(Read&& read)
{
  try {
    read();
  } catch (const core::Failure&) {
    // refused with a message and an exit status: what bad input must give
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: a reader threw a %s, not a pipesplit failure: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
}

} // namespace pipesplit::fuzz
