#pragma once
// Random small problems for property tests of the solvers: heterogeneous devices, several network shapes
// (dedicated pair links, SPLITDUPLEX star, one shared medium crossed twice, FATPIPE), random source / sink,
// reuse, cut limits, memory limits and thread modes.

#include "problem.hpp"

#include <random>

namespace pipesplit::test {

struct RandomInstanceOptions {
  int max_devices = 4;
  int max_blocks  = 6;
};

Problem random_problem(std::mt19937_64& rng, const RandomInstanceOptions& options = {});

} // namespace pipesplit::test
