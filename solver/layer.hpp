#pragma once
// The solver layer (the search for placements): its namespace names the layers below it without qualification;
// the build refuses includes of higher layers (cmake/layers.cmake).

#include "cost/layer.hpp"

namespace pipesplit::solver {
using namespace pipesplit::cost;
} // namespace pipesplit::solver
