// libFuzzer harness: the model file reader (models/model_file.hpp), and the property that a model pipesplit reads
// it can write and read back to the same file (what `model profile` and `model import` rely on).

#include "bench/fuzz/fuzz_input.hpp"
#include "core/chain.hpp"
#include "models/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace pipesplit;
  const std::string path = fuzz::input_file(data, size, "fuzzed_model.yaml");
  fuzz::expect_failures_only([&] {
    const core::Model model = models::read_model_file(path);
    const std::string text  = models::model_to_yaml(model);
    const std::string again = models::model_to_yaml(models::read_model_file(
        fuzz::input_file(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "fuzzed_model_written.yaml")));
    if (again != text) {
      std::fprintf(stderr, "fuzz: the model written differs once read back:\n%s\n---\n%s\n", text.c_str(),
                   again.c_str());
      std::abort();
    }
    core::build_chain(model, core::ChainMode::Blocks);
    core::build_chain(model, core::ChainMode::Layers);
  });
  return 0;
}
