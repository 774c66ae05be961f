#include "trial/tensor_wire.hpp"
#include "core/worker_pool.hpp"
#include "exec/stage_runner.hpp"
#include "trial/protocol.hpp"

#include <boost/endian/conversion.hpp>
#include <fmt/format.h>

#include <cstring>
#include <ctime>

namespace pipesplit::trial {

namespace {

template <typename T>
void put(std::vector<std::byte>& out, T value)
{
  value             = boost::endian::native_to_little(value);
  const auto* bytes = reinterpret_cast<const std::byte*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

class Reader {
public:
  Reader(const std::vector<std::byte>& payload, const std::string& peer) : payload_(payload), peer_(peer) {}
  template <typename T>
  T get()
  {
    T value;
    take(&value, sizeof(T));
    return boost::endian::little_to_native(value);
  }
  void take(void* destination, size_t size)
  {
    if (size > payload_.size() - offset_)
      throw ProtocolError(fmt::format("{} sent a truncated tensor payload", peer_));
    std::memcpy(destination, payload_.data() + offset_, size);
    offset_ += size;
  }
  bool done() const { return offset_ == payload_.size(); }

private:
  const std::vector<std::byte>& payload_;
  const std::string& peer_;
  size_t offset_ = 0;
};

double cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

} // namespace

std::vector<std::byte> encode_tensors(const std::vector<exec::Tensor>& tensors)
{
  std::vector<std::byte> out;
  put<uint32_t>(out, static_cast<uint32_t>(tensors.size()));
  for (const auto& tensor : tensors) {
    put<uint16_t>(out, static_cast<uint16_t>(tensor.name.size()));
    const auto* name = reinterpret_cast<const std::byte*>(tensor.name.data());
    out.insert(out.end(), name, name + tensor.name.size());
    put<uint8_t>(out, static_cast<uint8_t>(tensor.shape.size()));
    for (auto dim : tensor.shape)
      put<uint32_t>(out, static_cast<uint32_t>(dim));
    put<uint64_t>(out, tensor.data.size());
    const auto* data = reinterpret_cast<const std::byte*>(tensor.data.data());
    out.insert(out.end(), data, data + tensor.data.size() * sizeof(float)); // float32 little-endian on every target
  }
  return out;
}

std::vector<exec::Tensor> decode_tensors(const std::vector<std::byte>& payload, const std::string& peer)
{
  Reader in(payload, peer);
  std::vector<exec::Tensor> tensors(in.get<uint32_t>());
  for (auto& tensor : tensors) {
    tensor.name.resize(in.get<uint16_t>());
    in.take(tensor.name.data(), tensor.name.size());
    tensor.shape.resize(in.get<uint8_t>());
    for (auto& dim : tensor.shape)
      dim = in.get<uint32_t>();
    const auto elements = in.get<uint64_t>();
    if (elements > payload.size() / sizeof(float))
      throw ProtocolError(fmt::format("{} sent a tensor of {} elements in {} bytes", peer, elements, payload.size()));
    tensor.data.resize(elements);
    in.take(tensor.data.data(), elements * sizeof(float));
  }
  if (!in.done())
    throw ProtocolError(fmt::format("{} sent bytes after its tensors", peer));
  return tensors;
}

double element_bytes(const std::vector<exec::Tensor>& tensors)
{
  double bytes = 0;
  for (const auto& tensor : tensors)
    bytes += tensor.bytes();
  return bytes;
}

exec::Tensor trial_input(const Model& model, long long index, uint64_t seed)
{
  return exec::random_input(model, seed * 1000003ULL + static_cast<uint64_t>(index));
}

uint64_t digest(const void* data, size_t size, uint64_t seed)
{
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t hash     = seed;
  for (size_t i = 0; i < size; ++i)
    hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

uint64_t digest(const std::vector<exec::Tensor>& tensors, uint64_t seed)
{
  for (const auto& tensor : tensors)
    seed = digest(tensor.data.data(), tensor.data.size() * sizeof(float), seed);
  return seed;
}

uint64_t chain_hash(const Chain& chain)
{
  std::string text = fmt::format("exec/1 {} {} {}", chain.model_name, to_string(chain.mode), chain.input_bytes);
  for (const auto& block : chain.blocks)
    text += fmt::format("|{} {} {}", block.name, block.flop, block.cut_bytes);
  return digest(text.data(), text.size());
}

double measure_core_flops(const Model& model, const Chain& chain)
{
  double flops = 0;
  WorkerPool pool(1, [&](int, const WorkerPool::Emit& emit) {
    exec::StageRunner whole(model, chain, 0, chain.size() - 1, {.threads = 1, .seed = 1});
    const exec::Tensor input = trial_input(model, 0, 1);
    whole.run(input); // warm-up: first-touch of weights and kernels
    constexpr int runs = 3;
    const double start = cpu_seconds();
    for (int r = 0; r < runs; ++r)
      whole.run(input);
    emit(fmt::format("{:.17g}", chain.total_flop() * runs / (cpu_seconds() - start)));
  });
  const auto exits = pool.wait([&](int, const std::string& message) { flops = std::stod(message); });
  if (!exits[0].ok())
    exits[0].rethrow();
  return flops;
}

} // namespace pipesplit::trial
