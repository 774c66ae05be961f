// Seeded instance generators shared by the solver benchmarks (solver_bench, scale_bench): platforms, chains and
// problems of the sizes the README quotes, and the median and worst of a set of figures. Same seed, same instance.
#pragma once

#include "solver/solver.hpp"

#include <algorithm>
#include <random>
#include <vector>

namespace pipesplit::bench {

using solver::Chain;
using solver::Platform;
using solver::Problem;

struct DeviceType {
  int cores;
  double core_speed; // FLOP/s
  double link_Bps;   // its cable to the switch (star), bytes/s
};

// A value drawn uniformly in log space between `low` and `high`.
double log_uniform(std::mt19937_64& rng, double low, double high);

// Devices on a switch, each with its own full-duplex cable (SPLITDUPLEX halves `dI_UP`, `dI_DOWN`); no source or sink.
Platform star(const std::vector<DeviceType>& devices, double latency_s);

// `count` devices of 4 cores at 2-10 GFLOP/s per core (log-uniform), all cables `link_Bps`.
std::vector<DeviceType> random_boards(int count, double link_Bps, std::mt19937_64& rng);

// Five kinds of devices in turn, speeds and cables jittered by 0.7-1.3 (seeded by `seed`).
std::vector<DeviceType> heterogeneous(int count, double link_Bps, uint64_t seed);

// Half 4 cores at 5 GFLOP/s, half 1 core at 60 GFLOP/s.
std::vector<DeviceType> two_types(int count, double link_Bps);

// `count` heterogeneous devices (1-6 cores, 2-60 GFLOP/s per core); every ordered pair on its own link of
// 0.1-1 Gbit/s, 50 us (the paper's kind of instance).
Platform every_pair_linked(int count, std::mt19937_64& rng);

// A chain of `blocks` blocks of 0.1-2 GFLOP, 1-20 MB of weights, cuts of 20 kB-2 MB.
Chain random_chain(int blocks, std::mt19937_64& rng);

// A transformer-like chain: `layers` encoder halves (attention, MLP), every cut ships the [197, 768] activations.
Chain transformer_chain(int layers);

// ViT-Large as PipeEdge cuts it: 24 encoder layers of 4 blocks each (attention, its projection, the MLP's two
// layers), micro-batches of 8 in float32, measured seconds per block on two kinds of boards (profiles "slow" and
// "fast", 2 GiB and 8 GiB, one core each), `hosts` boards (the first half slow) on 1000 Mbit/s (PipeEdge's Mbit:
// 2^20 bit) cables to a switch. Round figures of the size PipeEdge's profiles show, jittered by up to 3% (seeded).
Problem vit_large_two_types(int hosts, uint64_t seed);

// Every host of the platform a device.
Problem make_problem(Platform platform, Chain chain, bool reuse, int max_cuts);

template <class T>
T median(std::vector<T> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class T>
T worst(const std::vector<T>& v)
{
  return *std::max_element(v.begin(), v.end());
}

} // namespace pipesplit::bench
