#pragma once
// Random small problems for property tests of the solvers: heterogeneous devices, several network shapes
// (dedicated pair links, SPLITDUPLEX star, one shared medium crossed twice, FATPIPE), random source / sink,
// reuse, cut limits, memory limits and thread modes.

#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

#include <random>

namespace pipesplit::test {

using namespace pipesplit::cost;

struct RandomInstanceOptions {
  int max_devices = 4;
  int max_blocks  = 6;
  // Power as SimGrid's energy plugins read it: every host 1 to 3 pstates with wattage_per_state (2 or 3 figures)
  // and a wattage_off, some links a wattage_range; and a device cost.
  bool power = false;
};

Problem random_problem(std::mt19937_64& rng, const RandomInstanceOptions& options = {});

// Platforms of a few device types with several identical devices each (PipeEdge's setting), linked so that a
// transfer's figures depend only on the types it joins, except in one shape of four (a shared cell); a camera
// source / sink, or a device as one; cut limits, memory limits per type, thread modes, device reuse one time in 5.
struct TypedInstanceOptions {
  int max_types    = 3;
  int max_per_type = 3;
  int max_blocks   = 6;
};

Problem random_typed_problem(std::mt19937_64& rng, const TypedInstanceOptions& options = {});

} // namespace pipesplit::test

namespace pipesplit::test {

// A random valid placement of the problem (respecting reuse and the cut limit, random thread counts).
Placement random_placement(std::mt19937_64& rng, const Problem& problem);

// The platform as a SimGrid XML file (hosts, links, one explicit route per ordered pair), written to `path`; sets
// platform.file to it.
void write_platform_file(Platform& platform, const std::string& path);

} // namespace pipesplit::test
