// libFuzzer harness: the sweep file reader (analysis/sweep_spec.hpp), and the points it enumerates.

#include "analysis/sweep_spec.hpp"
#include "bench/fuzz/fuzz_input.hpp"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace pipesplit;
  const std::string path = fuzz::input_file(data, size, "fuzzed_sweep.yaml");
  fuzz::expect_failures_only([&] {
    const analysis::SweepSpec spec = analysis::read_sweep_file(path);
    const size_t points            = spec.point_count();
    for (size_t index : {size_t{0}, points / 2, points - 1})
      for (const auto& value : spec.point(index))
        analysis::to_string(value);
  });
  return 0;
}
