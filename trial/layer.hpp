#pragma once
// The trial layer (the pipeline run for real: stages as processes, tensors over TCP, an emulated testbed of network
// namespaces, shaped links and CPU quotas): its namespace names the layers below it without qualification; the build
// refuses includes of higher layers (cmake/layers.cmake).

#include "exec/layer.hpp"
#include "sim/layer.hpp"
#include "solver/layer.hpp"

namespace pipesplit::trial {
using namespace pipesplit::scenario;
using namespace pipesplit::solver;
using namespace pipesplit::sim;
} // namespace pipesplit::trial
