#pragma once
// The cli layer (the pipesplit command line): its namespace names the layers below it without qualification;
// the build refuses includes of higher layers (cmake/layers.cmake).

#include "analysis/layer.hpp"

namespace pipesplit::cli {
using namespace pipesplit::analysis;
} // namespace pipesplit::cli
