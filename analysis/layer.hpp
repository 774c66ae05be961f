#pragma once
// The analysis layer (the acceleration region, sweeps and pictures): its namespace names the layers below it without
// qualification; the build refuses includes of higher layers (cmake/layers.cmake).

#include "scenario/layer.hpp"
#include "sim/layer.hpp"
#include "solver/layer.hpp"

namespace pipesplit::analysis {
using namespace pipesplit::scenario;
using namespace pipesplit::solver;
using namespace pipesplit::sim;
} // namespace pipesplit::analysis
