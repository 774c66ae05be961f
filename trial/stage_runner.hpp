#pragma once
// What a worker runs for its stage: blocks [first, last] of the chain, input tensor in, output tensor out.
//
// KernelStage is the stand-in executor until the oneDNN executor (issue 12) lands: for each block it performs the
// block's FLOP count as real floating-point work (multiply-adds on a small vector, seeded from the input tensor) and
// emits the block's cut size in bytes, derived from that work. It is deterministic, so a partitioned run's output
// bytes equal the unpartitioned run's, and it takes FLOP / (this core's kernel rate) seconds, so a CPU quota makes it
// as slow as the device. It is not a neural network: the trial measures the pipeline (processes, TCP, shaping,
// quotas), not the accuracy of a model.

#include "core/chain.hpp"
#include "trial/layer.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace pipesplit::trial {

using Tensor = std::vector<std::byte>;

class StageRunner {
public:
  virtual ~StageRunner()                  = default;
  virtual Tensor run(const Tensor& input) = 0;
};

class KernelStage : public StageRunner {
public:
  KernelStage(const Chain& chain, int first, int last);
  Tensor run(const Tensor& input) override;

private:
  std::vector<double> flop_;   // per block
  std::vector<size_t> bytes_;  // output bytes per block
  std::vector<uint64_t> salt_; // per block, from its name: a different block computes something different
};

// The source's input `index` (input_bytes of the chain), the same for every run with the same seed.
Tensor make_input(const Chain& chain, long long index, uint64_t seed);

// FLOP/s of KernelStage on one core of this machine, per CPU-second: the median of `repeats` timed runs.
double measure_kernel_flops(int repeats = 5);

// A 64-bit digest (FNV-1a) of bytes, for comparing tensors and models.
uint64_t digest(const void* data, size_t size, uint64_t seed = 0xcbf29ce484222325ULL);

// The chain's identity as workers and controller compare it: mode, block names, FLOP and cut sizes, the executor.
uint64_t chain_hash(const Chain& chain);

} // namespace pipesplit::trial
