#include "trial/stage_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <ctime>

namespace pipesplit::trial {

namespace {

volatile uint64_t kernel_result = 0;
constexpr int lanes = 16; // independent multiply-add chains, enough to keep a core's floating-point units busy

uint64_t splitmix(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// `flop` floating-point operations (one multiply and one add per lane and step), from a state seeded by `seed`;
// returns a digest of the final state, so the work cannot be optimised away.
uint64_t multiply_adds(double flop, uint64_t seed)
{
  std::array<float, lanes> x{};
  for (int j = 0; j < lanes; ++j)
    x[j] = static_cast<float>(splitmix(seed + j) % 1000) / 1000.0f;
  const auto steps = static_cast<long long>(flop / (2.0 * lanes));
  for (long long step = 0; step < steps; ++step)
    for (int j = 0; j < lanes; ++j)
      x[j] = x[j] * 0.999999f + 0.000001f;
  return digest(x.data(), sizeof(x), seed);
}

void fill(Tensor& tensor, uint64_t seed)
{
  for (size_t i = 0; i < tensor.size(); i += 8) {
    const uint64_t word = splitmix(seed + i);
    std::memcpy(tensor.data() + i, &word, std::min<size_t>(8, tensor.size() - i));
  }
}

} // namespace

uint64_t digest(const void* data, size_t size, uint64_t seed)
{
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t hash     = seed;
  for (size_t i = 0; i < size; ++i)
    hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

KernelStage::KernelStage(const Chain& chain, int first, int last)
{
  for (int b = first; b <= last; ++b) {
    const auto& block = chain.blocks.at(b);
    flop_.push_back(block.flop);
    bytes_.push_back(static_cast<size_t>(std::llround(block.cut_bytes)));
    salt_.push_back(digest(block.name.data(), block.name.size()));
  }
}

// Each block starts from its own input tensor only, so that blocks 0-1 then 2-3 compute what 0-3 computes.
Tensor KernelStage::run(const Tensor& input)
{
  Tensor tensor = input;
  for (size_t b = 0; b < flop_.size(); ++b) {
    const uint64_t state = multiply_adds(flop_[b], digest(tensor.data(), tensor.size()) ^ salt_[b]);
    tensor.assign(bytes_[b], std::byte{0});
    fill(tensor, state);
  }
  return tensor;
}

Tensor make_input(const Chain& chain, long long index, uint64_t seed)
{
  Tensor input(static_cast<size_t>(std::llround(chain.input_bytes)));
  fill(input, splitmix(seed) ^ static_cast<uint64_t>(index));
  return input;
}

// CPU time, not wall time: what a CPU quota hands out, and blind to the other processes of a shared machine.
static double thread_cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double measure_kernel_flops(int repeats)
{
  constexpr double flop = 2e8;
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    const double start = thread_cpu_seconds();
    kernel_result      = multiply_adds(flop, r); // kept, so the timed work is not optimised away
    rates.push_back(flop / (thread_cpu_seconds() - start));
  }
  std::nth_element(rates.begin(), rates.begin() + repeats / 2, rates.end());
  return rates[repeats / 2];
}

uint64_t chain_hash(const Chain& chain)
{
  std::string text = fmt::format("kernel-stage/1 {} {} {}", chain.model_name, to_string(chain.mode), chain.input_bytes);
  for (const auto& block : chain.blocks)
    text += fmt::format("|{} {} {}", block.name, block.flop, block.cut_bytes);
  return digest(text.data(), text.size());
}

} // namespace pipesplit::trial
