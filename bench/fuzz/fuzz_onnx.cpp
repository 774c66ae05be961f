// libFuzzer harness: the ONNX importer (models/onnx/onnx_import.hpp), on .onnx files.

#include "bench/fuzz/fuzz_input.hpp"
#include "models/onnx/onnx_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace pipesplit;
  const std::string path = fuzz::input_file(data, size, "fuzzed.onnx");
  fuzz::expect_failures_only([&] { models::import_onnx(path); });
  return 0;
}
