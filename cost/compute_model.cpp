#include "cost/compute_model.hpp"

#include <cmath>
#include <cstdlib>

namespace pipesplit::cost {

std::map<std::string, double> ComputeModel::default_parallel_fractions()
{
  // Dense kernels (im2col / GEMM) split well across cores; element-wise and normalisation ops are memory-bound and
  // gain little from more threads; pure data movement gains nothing. Values in line with multi-threaded ARM
  // inference runtimes (e.g. 3.2-3.5x for convolutions on 4 Cortex-A72 cores); override them per scenario or host.
  return {{"conv", 0.95},      {"fc", 0.90},      {"matmul", 0.95},  {"attention", 0.90},  {"bn", 0.60},
          {"layernorm", 0.60}, {"relu", 0.60},    {"relu6", 0.60},   {"leaky_relu", 0.60}, {"sigmoid", 0.60},
          {"hswish", 0.60},    {"gelu", 0.60},    {"softmax", 0.60}, {"add", 0.60},        {"mul", 0.60},
          {"maxpool", 0.70},   {"avgpool", 0.70}, {"concat", 0.0},   {"flatten", 0.0},     {"reshape", 0.0},
          {"slice", 0.0},      {"reorg", 0.0},    {"embedding", 0.0}};
}

double ComputeModel::fraction(const HostInfo& host, const std::string& op) const
{
  if (auto it = host.parallel_fraction.find(op); it != host.parallel_fraction.end())
    return it->second;
  if (auto it = parallel_fraction.find(op); it != parallel_fraction.end())
    return it->second;
  return unknown_op_fraction;
}

double ComputeModel::speedup(const HostInfo& host, const std::string& op, int threads) const
{
  const double p = fraction(host, op);
  return 1.0 / ((1.0 - p) + p / threads);
}

// Per op type, its FLOP at the core speed times its efficiency, plus its bytes at the memory bandwidth when the host
// has one, both shared among the threads as the op type's Amdahl fraction says; plus the fixed cost of each layer.
static double analytic_seconds(const ComputeModel& model, const Block& block, const HostInfo& host, int threads)
{
  double seconds = 0;
  for (const auto& [op, flop] : block.flop_by_op) {
    const auto efficiency = host.op_efficiency.find(op);
    const double rate     = host.core_speed_flops * (efficiency == host.op_efficiency.end() ? 1.0 : efficiency->second);
    double op_seconds     = flop / rate;
    if (host.memory_bandwidth_Bps > 0)
      if (auto bytes = block.bytes_by_op.find(op); bytes != block.bytes_by_op.end())
        op_seconds += bytes->second / host.memory_bandwidth_Bps;
    seconds += op_seconds / model.speedup(host, op, threads);
  }
  return seconds + host.layer_overhead_s * (block.last_layer - block.first_layer + 1);
}

bool ComputeModel::is_measured(const Block& block, const HostInfo& host) const
{
  return !host.profile.empty() && block.measured_s.count(host.profile) > 0;
}

double ComputeModel::block_seconds(const Block& block, const HostInfo& host, int threads) const
{
  if (!is_measured(block, host))
    return analytic_seconds(*this, block, host, threads);
  const auto& by_threads = block.measured_s.at(host.profile);
  if (auto it = by_threads.find(threads); it != by_threads.end())
    return it->second;
  // Nearest measured thread count, rescaled by the analytic model's ratio between the two thread counts.
  auto nearest = by_threads.begin();
  for (auto it = by_threads.begin(); it != by_threads.end(); ++it)
    if (std::abs(it->first - threads) < std::abs(nearest->first - threads))
      nearest = it;
  const double ratio =
      analytic_seconds(*this, block, host, threads) / analytic_seconds(*this, block, host, nearest->first);
  return nearest->second * (std::isfinite(ratio) ? ratio : 1.0);
}

} // namespace pipesplit::cost
