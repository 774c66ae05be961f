#pragma once
// Reading a whole input file, refused with a clear message when it is missing, a folder or unreadable.

#include "core/layer.hpp"

#include <string>

namespace pipesplit::core {

// The bytes of the regular file `path`. Throws InputError naming it ("no such file", "is a folder, not a file",
// "cannot read the file: <reason>").
std::string read_input_file(const std::string& path);

} // namespace pipesplit::core
