// libFuzzer harness: the platform loader's checks that need no SimGrid engine (sim/platform_view_json.hpp): the view
// the loader's child sends, its hosts' properties, links and routes, and Platform::finalize.

#include "bench/fuzz/fuzz_input.hpp"
#include "sim/platform_view_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace pipesplit;
  const std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_failures_only([&] {
    const core::Platform view = sim::platform_view_from_json(text, "fuzzed platform view");
    // What the loader sends of a checked view reads back to the same view.
    const std::string sent = sim::platform_view_to_json(view);
    if (sim::platform_view_to_json(sim::platform_view_from_json(sent, "sent again")) != sent) {
      std::fprintf(stderr, "fuzz: the platform view differs once sent again:\n%s\n", sent.c_str());
      std::abort();
    }
  });
  return 0;
}
