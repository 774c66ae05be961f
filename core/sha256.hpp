#pragma once
// SHA-256 digests (OpenSSL's libcrypto), as lower-case hexadecimal: what outputs record of the files that made them.

#include "core/layer.hpp"

#include <string>

namespace pipesplit::core {

std::string sha256_hex(const std::string& bytes);
std::string sha256_file(const std::string& path); // throws InputError when the file cannot be read

} // namespace pipesplit::core
