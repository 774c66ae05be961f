#include "core/sha256.hpp"
#include "core/error.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace pipesplit::core {

namespace {

class Digest {
public:
  Digest() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free)
  {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("SHA-256: cannot initialise OpenSSL's digest");
  }
  void add(const char* data, size_t size)
  {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1)
      throw std::runtime_error("SHA-256: digest update failed");
  }
  std::string hex()
  {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &size) != 1)
      throw std::runtime_error("SHA-256: digest final failed");
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
      out += digits[digest[i] >> 4];
      out += digits[digest[i] & 15];
    }
    return out;
  }

private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

} // namespace

std::string sha256_hex(const std::string& bytes)
{
  Digest digest;
  digest.add(bytes.data(), bytes.size());
  return digest.hex();
}

std::string sha256_file(const std::string& path)
{
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw InputError(path, "", "cannot read the file");
  Digest digest;
  char buffer[65536];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0)
    digest.add(buffer, static_cast<size_t>(file.gcount()));
  if (file.bad())
    throw InputError(path, "", "cannot read the file");
  return digest.hex();
}

} // namespace pipesplit::core
