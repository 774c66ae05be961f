#pragma once
// Files pipesplit writes for itself to read later (model files, calibrations) are read back by their own reader
// before they replace anything: a figure the reader refuses (a speed of 0 from an infinite measured time, a count
// over the int range) is refused when written, naming the file, not on the next run.

#include "core/layer.hpp"

#include <functional>
#include <string>

namespace pipesplit::core {

// `read_back` is the reader, given the path of a temporary copy of `content`; a Failure it throws becomes an
// InputError naming `path`, and `path` is left as it was. Then written as write_file_atomically does, or to stdout when
// `path` is "-".
void write_readable_file(const std::string& path, const std::string& content,
                         const std::function<void(const std::string&)>& read_back);

} // namespace pipesplit::core
