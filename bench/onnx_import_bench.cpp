// ONNX import time and memory: imports each file given (default: the checked-in exports) five times and prints the
// median seconds and the process's peak resident memory against the file size (target: under 2 s and under twice
// the file size for the largest export). A model with external data (weights in side files) has two sizes: its
// .onnx file (the graph, which the import reads) and its side files (which it only checks); the ratio is given to
// the sum of both and to the .onnx file alone, and the peak above the process's baseline (after a tiny import) is
// the import's own. Run: build/bench/pipesplit_onnx_import_bench [FILE.onnx...]
// (make_exports.py --large FOLDER writes ViT-B/16 and a BERT-base encoder, 330 MB each; --torchvision FOLDER
// vit_h_14 regnet_y_128gf the two over 2 GB, with external data).

#include "models/onnx/onnx_import.hpp"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

namespace fs = std::filesystem;
using namespace pipesplit;

static double peak_resident_bytes()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024; // Linux reports kilobytes
}

// Bytes of the distinct side files the model's initializers name (0 for a single-file model). Parses the model again:
// call it after reading the peak memory.
static double external_data_bytes(const std::string& file)
{
  onnx::ModelProto model;
  std::ifstream in(file, std::ios::binary);
  model.ParseFromIstream(&in);
  std::set<std::string> locations;
  for (const auto& initializer : model.graph().initializer())
    for (const auto& entry : initializer.external_data())
      if (entry.key() == "location")
        locations.insert(entry.value());
  double bytes = 0;
  for (const auto& location : locations)
    bytes += static_cast<double>(fs::file_size(fs::path(file).parent_path() / location));
  return bytes;
}

int main(int argc, char** argv)
{
  // What the process holds before any import (libraries, ONNX's op schemas): the import's own memory is above it.
  models::import_onnx((fs::path(PIPESPLIT_SOURCE_DIR) / "tests/data/onnx/tiny_convnext_op17.onnx").string());
  const double baseline = peak_resident_bytes();
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty())
    for (const auto& entry : fs::directory_iterator(fs::path(PIPESPLIT_SOURCE_DIR) / "tests/data/onnx"))
      if (entry.path().extension() == ".onnx" && entry.path().stem() != "tiny_text_op13") // needs --input
        files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  fmt::print("{:<28} {:>12} {:>15} {:>9} {:>14} {:>10} {:>10} {:>14}\n", "file", ".onnx bytes", "side file bytes",
             "median s", "peak RSS bytes", "RSS/total", "RSS/.onnx", "above baseline");
  for (const auto& file : files) {
    std::vector<double> seconds;
    size_t layers = 0;
    for (int run = 0; run < 5; ++run) {
      const auto start        = std::chrono::steady_clock::now();
      const core::Model model = models::import_onnx(file);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      layers = model.layers.size();
    }
    std::sort(seconds.begin(), seconds.end());
    // Peak memory is the process's so far: run one large file per process to read its own.
    const double peak = peak_resident_bytes();
    const auto size   = static_cast<double>(fs::file_size(file));
    const double side = external_data_bytes(file);
    fmt::print("{:<28} {:>12.0f} {:>15.0f} {:>9.3f} {:>14.0f} {:>10.2f} {:>10.2f} {:>14.0f}  ({} layers)\n",
               fs::path(file).filename().string(), size, side, seconds[2], peak, peak / (size + side), peak / size,
               peak - baseline, layers);
  }
}
