#pragma once
// Running a stage for real: a contiguous range of chain blocks of a model, on this CPU, with oneDNN kernels at the
// model's exact shapes and deterministic random weights, on a chosen number of threads.
//
//   Model model = load_model("resnet18");
//   Chain chain = build_chain(model, ChainMode::Blocks);
//   StageRunner first(model, chain, 0, 4, {.threads = 2, .seed = 1});
//   StageRunner second(model, chain, 5, chain.size() - 1, {.threads = 2, .seed = 1});
//   Tensor out = second.run(first.run(random_input(model, 1)));
//
// A stage reads the tensors alive across the cut before its first block (the model input for block 0) and returns
// those alive across the cut after its last block, in the order input_names() / output_names() give: their bytes
// are exactly the chain's (Chain::input_bytes_of(first), Block::cut_bytes). With ChainMode::Blocks one tensor
// crosses each cut, so run(const Tensor&) suffices; with ChainMode::Layers a cut may carry several (a tensor that
// only passes through the stage is handed on unchanged). The same (model, seed) gives the same weights whichever
// blocks a stage holds, so running a model whole or as consecutive stages gives bitwise-identical outputs on the
// same thread count.
//
// The runner keeps a reference to `model`, which must outlive it; `chain` is only read while constructing. Building
// a runner draws the stage's weights and creates its primitives (seconds for a large model); run() only computes.
//
// Throws InputError naming the layer when one cannot be executed (no attributes, no executor for its op, shapes
// oneDNN refuses), and for a block range outside the chain or a model whose elements are not 4-byte floats.

#include "core/chain.hpp"
#include "exec/kernel.hpp"
#include "exec/tensor.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pipesplit::exec {

struct StageOptions {
  int threads   = 1;
  uint64_t seed = 1; // the weights' seed
};

class StageRunner {
public:
  StageRunner(const Model& model, const Chain& chain, int first_block, int last_block, StageOptions options);
  ~StageRunner();
  StageRunner(StageRunner&&) noexcept;

  const std::vector<std::string>& input_names() const { return input_names_; }
  const std::vector<std::string>& output_names() const { return output_names_; }
  double input_bytes() const;  // what the stage receives per input
  double output_bytes() const; // what it sends on: the chain's cut_bytes of its last block
  int first_layer() const { return first_layer_; }
  int last_layer() const { return last_layer_; }
  int threads() const { return options_.threads; }

  // Inputs matched by name (Tensor::name) against input_names(); outputs in output_names() order.
  std::vector<Tensor> run(const std::vector<Tensor>& inputs);
  Tensor run(const Tensor& input); // exactly one tensor in and one out
  // As run(), and the wall seconds of each layer (first_layer() first) added to `layer_seconds`.
  std::vector<Tensor> run_timed(const std::vector<Tensor>& inputs, std::vector<double>& layer_seconds);

private:
  std::vector<Tensor> execute(const std::vector<Tensor>& inputs, std::vector<double>* layer_seconds);

  const Model& model_;
  StageOptions options_;
  int first_layer_ = 0;
  int last_layer_  = 0;
  std::vector<std::string> input_names_;
  std::vector<std::string> output_names_;
  std::vector<Shape> input_shapes_;
  std::vector<std::vector<int>> layer_inputs_; // per layer of the stage: slots of its inputs
  std::unique_ptr<dnnl::engine> engine_;
  std::unique_ptr<dnnl::stream> stream_;
  std::vector<std::unique_ptr<LayerKernel>> kernels_;
  // Every layer's output, allocated once: runs after the first touch no fresh memory (page faults, zeroing would
  // otherwise land in the layers' times).
  std::vector<Tensor> outputs_;
};

} // namespace pipesplit::exec
