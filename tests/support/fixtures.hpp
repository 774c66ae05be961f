#pragma once
// Hand-made platforms and chains for tests whose expected figures are computed by hand.

#include "core/chain.hpp"
#include "core/platform.hpp"
#include "cost/layer.hpp"
#include "cost/problem.hpp"

#include <string>
#include <vector>

namespace pipesplit::test {

using namespace pipesplit::cost;

// A host with `cores` cores of `core_speed_flops` FLOP/s each, and nothing else declared.
HostInfo host(const std::string& name, int cores, double core_speed_flops);

// Hosts `a` and `b` (one core of 1 GFLOP/s each) joined by `link` alone: each direction's route crosses it
// `crossings` times (2: a WiFi cell, via the access point).
Platform two_hosts(const std::string& a, const std::string& b, const LinkInfo& link, int crossings = 1);

// Hosts h0..h{n-1} with the given per-core speeds (FLOP/s) and cores; every ordered pair (a, b) has its own
// dedicated link "a->b" of `bandwidth` bytes/s and `latency` s (the paper's "one link per device pair").
Platform pairwise_platform(const std::vector<double>& speeds, const std::vector<int>& cores, double bandwidth,
                           double latency = 0);

// Hosts on a star: each has a link "h<i>_UP" and "h<i>_DOWN" (the two halves of a SPLITDUPLEX cable).
Platform star_platform(const std::vector<double>& speeds, int cores, double bandwidth, double latency);

// A chain of blocks with the given FLOP (all of op `op`) and cut sizes (cut_bytes[i] after block i).
Chain hand_chain(const std::vector<double>& flop, const std::vector<double>& cut_bytes, double input_bytes,
                 const std::string& op = "conv");

// A problem on every host, no source or sink, perfectly parallel ops (Amdahl fraction 1): the paper's setting.
Problem paper_problem(Platform platform, Chain chain, bool reuse);

} // namespace pipesplit::test
