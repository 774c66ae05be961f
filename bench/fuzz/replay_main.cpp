// The corpus replay (a ctest test per harness, in every build): runs a harness over each file of the folders or
// files given, as libFuzzer would, without libFuzzer. A crash or an escaped exception fails the test, naming the file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv)
{
  std::set<fs::path> files; // sorted: the same order on every machine
  for (int i = 1; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& entry : fs::directory_iterator(argv[i]))
        if (entry.is_regular_file())
          files.insert(entry.path());
    } else {
      files.insert(argv[i]);
    }
  }
  if (files.empty()) {
    std::cerr << "replay: no input files\n";
    return 1;
  }
  for (const auto& file : files) {
    std::cerr << "replay: " << file.filename().string() << '\n';
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << "replayed " << files.size() << " inputs\n";
  return 0;
}
