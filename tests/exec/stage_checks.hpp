#pragma once
// Running a model as consecutive stages (test_stage_runner.cpp, test_onnx_execution.cpp): every tensor crossing a
// cut is checked against the bytes the chain counts.

#include "exec/stage_runner.hpp"

#include <catch2/catch.hpp>

namespace pipesplit::exec::checks {

// Stages that split the chain at `cuts` (the last block of each stage but the last).
inline std::vector<Tensor> run_split(const Model& model, const Chain& chain, const std::vector<int>& cuts, int threads)
{
  std::vector<Tensor> tensors{random_input(model, 7)};
  int first              = 0;
  std::vector<int> lasts = cuts;
  lasts.push_back(chain.size() - 1);
  for (int last : lasts) {
    StageRunner stage(model, chain, first, last, {threads, 42});
    double received = 0;
    for (const auto& t : tensors)
      received += t.bytes();
    // The model's own input of token ids travels as float32 in the executor (exact below 2^24), the chain counts the
    // export's int64: every other cut is float32 both ways.
    CHECK(received ==
          (first == 0 ? static_cast<double>(element_count(model.input_shape)) * 4 : chain.input_bytes_of(first)));
    CHECK(stage.input_bytes() == chain.input_bytes_of(first));
    tensors     = stage.run(tensors);
    double sent = 0;
    for (const auto& t : tensors)
      sent += t.bytes();
    CHECK(sent == chain.blocks[last].cut_bytes);
    CHECK(stage.output_bytes() == chain.blocks[last].cut_bytes);
    first = last + 1;
  }
  return tensors;
}

inline std::vector<int> even_cuts(const Chain& chain, int stages)
{
  std::vector<int> cuts;
  for (int s = 1; s < stages; ++s)
    cuts.push_back(s * chain.size() / stages - 1);
  return cuts;
}

} // namespace pipesplit::exec::checks
