#pragma once
// Loading a YAML document the way every pipesplit reader needs it: refused, naming the file and line, when a
// mapping repeats a key (yaml-cpp keeps one silently), uses a null or a list/mapping as a key, or when aliases
// would expand to more than max_yaml_values values (an alias "bomb": a small file that expands to gigabytes).

#include "core/layer.hpp"

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace pipesplit::core {

// Values (scalars, lists, mappings) a document may hold once every alias is expanded. The shipped files hold a few
// hundred; a sweep of large zoo edits a few thousand.
inline constexpr size_t max_yaml_values = 1'000'000;

// Parse `text`, read from `file` (for messages). Throws InputError naming the file and line.
YAML::Node load_yaml_document(const std::string& text, const std::string& file);

} // namespace pipesplit::core
