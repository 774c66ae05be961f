#pragma once
// Writing an output so that it is never lost or half-written: the content goes to a temporary file beside the target,
// is checked (written, flushed, closed), then renamed over the target. A failed write (disk full, read-only folder)
// throws InputError naming the file and leaves any previous file intact. A target that is a symbolic link is
// replaced by the file, never written through.

#include "core/layer.hpp"

#include <string>

namespace pipesplit::core {

void write_file_atomically(const std::string& path, const std::string& content);

} // namespace pipesplit::core
