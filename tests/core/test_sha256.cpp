// SHA-256 digests against the standard's test vectors (FIPS 180-4 examples) and a file.

#include "core/error.hpp"
#include "core/sha256.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit::core;

TEST_CASE("SHA-256 of the FIPS 180-4 examples, of a file, and of a missing file", "[sha256]")
{
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const auto path = std::filesystem::temp_directory_path() / "pipesplit_sha256_test";
  std::ofstream(path, std::ios::binary) << std::string(200000, 'a'); // several read buffers
  CHECK(sha256_file(path.string()) == sha256_hex(std::string(200000, 'a')));
  CHECK_THROWS_AS(sha256_file("/nonexistent/pipesplit"), InputError);
}
