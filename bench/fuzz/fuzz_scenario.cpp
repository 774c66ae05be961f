// libFuzzer harness: the scenario reader (scenario/scenario.hpp), on scenario files.

#include "bench/fuzz/fuzz_input.hpp"
#include "scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace pipesplit;
  const std::string path = fuzz::input_file(data, size, "fuzzed_scenario.yaml");
  fuzz::expect_failures_only([&] { scenario::read_scenario(path); });
  return 0;
}
