#pragma once
// What the trial sends and checks besides frames: the tensors crossing a cut as one payload, the inputs the source
// makes, digests of outputs and of the model, and the speed of this machine's core on the model.
//
// Payload: tensor count (u32), then per tensor: name length (u16) and name, rank (u8) and dims (u32 each), element
// count (u64) and the float32 elements; little-endian. Only the elements count as the cut's bytes.

#include "core/chain.hpp"
#include "core/model.hpp"
#include "exec/tensor.hpp"
#include "trial/layer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pipesplit::trial {

std::vector<std::byte> encode_tensors(const std::vector<exec::Tensor>& tensors);
// Throws ProtocolError naming `peer` when the payload is not a well-formed tensor list.
std::vector<exec::Tensor> decode_tensors(const std::vector<std::byte>& payload, const std::string& peer);
double element_bytes(const std::vector<exec::Tensor>& tensors); // what the chain's cut sizes count

// The source's input `index`: the same for every run with the same seed.
exec::Tensor trial_input(const Model& model, long long index, uint64_t seed);

// A 64-bit digest (FNV-1a) of bytes, for comparing outputs and models.
uint64_t digest(const void* data, size_t size, uint64_t seed = 0xcbf29ce484222325ULL);
uint64_t digest(const std::vector<exec::Tensor>& tensors, uint64_t seed);

// The model's identity as workers and controller compare it: its name, chain mode, block names, FLOP, cut sizes.
uint64_t chain_hash(const Chain& chain);

// FLOP/s of one core of this machine on the whole model (one thread, per CPU-second: what a CPU quota hands out,
// blind to the other processes of a shared machine), measured in a child process so that this one never starts
// OpenMP threads before it forks workers.
double measure_core_flops(const Model& model, const Chain& chain);

} // namespace pipesplit::trial
