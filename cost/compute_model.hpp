#pragma once
// How long a block takes on a device with a thread count.
//  - Measured: when the device names a profile (host property "profile") that the model carries for the block, the
//    measured seconds at that thread count; at another thread count, the nearest measurement rescaled by the
//    Amdahl speed-up ratio below.
//  - Analytic: (FLOP / (core speed x efficiency) + bytes / memory bandwidth) / speed-up(threads), per op type
//    (efficiency from the host's op_efficiency, 1 by default; the bytes term only when the host has a calibrated
//    bandwidth), plus the host's fixed cost per layer (0 unless calibrated), with Amdahl's law
//    speed-up(t) = 1 / ((1 - p) + p / t) and p the op type's parallel fraction.

#include "core/chain.hpp"
#include "core/platform.hpp"
#include "cost/layer.hpp"

#include <map>
#include <string>

namespace pipesplit::cost {

struct ComputeModel {
  // Parallel fraction per op type; the scenario may override entries, a host's properties override both.
  std::map<std::string, double> parallel_fraction = default_parallel_fractions();
  double unknown_op_fraction                      = 0.5;

  static std::map<std::string, double> default_parallel_fractions();

  double fraction(const HostInfo& host, const std::string& op) const;
  double speedup(const HostInfo& host, const std::string& op, int threads) const;
  double block_seconds(const Block& block, const HostInfo& host, int threads) const;
  bool is_measured(const Block& block, const HostInfo& host) const;
};

} // namespace pipesplit::cost
