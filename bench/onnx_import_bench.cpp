// ONNX import time and memory: imports each file given (default: the checked-in exports) five times and prints the
// median seconds and the process's peak resident memory against the file size (target: under 2 s and under twice
// the file size for the largest export). Run: build/bench/pipesplit_onnx_import_bench [FILE.onnx...]
// (make_exports.py --large FOLDER writes ViT-B/16 and a BERT-base encoder, 330 MB each).

#include "models/onnx/onnx_import.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;
using namespace pipesplit;

static double peak_resident_bytes()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024; // Linux reports kilobytes
}

int main(int argc, char** argv)
{
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty())
    for (const auto& entry : fs::directory_iterator(fs::path(PIPESPLIT_SOURCE_DIR) / "tests/data/onnx"))
      if (entry.path().extension() == ".onnx" && entry.path().stem() != "tiny_text_op13") // needs --input
        files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  fmt::print("{:<28} {:>12} {:>10} {:>14} {:>10}\n", "file", "bytes", "median s", "peak RSS bytes", "RSS/size");
  for (const auto& file : files) {
    std::vector<double> seconds;
    size_t layers = 0;
    for (int run = 0; run < 5; ++run) {
      const auto start  = std::chrono::steady_clock::now();
      const core::Model model = models::import_onnx(file);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      layers = model.layers.size();
    }
    std::sort(seconds.begin(), seconds.end());
    const auto size = static_cast<double>(fs::file_size(file));
    // Peak memory is the process's so far: run one large file per process to read its own.
    fmt::print("{:<28} {:>12.0f} {:>10.3f} {:>14.0f} {:>10.2f}  ({} layers)\n", fs::path(file).filename().string(),
               size, seconds[2], peak_resident_bytes(), peak_resident_bytes() / size, layers);
  }
}
