#pragma once
// Where a measured series leaves its initial transient: MSER-5 (White 1997; White, Cobb and Spratt 2000), the
// truncation rule used for simulation output analysis. The series is cut into batches of 5; the truncation d (in
// batches, at most half of them) minimises the squared standard error of the mean of what remains,
//   MSER(d) = sum_{i >= d} (Z_i - mean_{>= d})^2 / (m - d)^2,
// with ties going to the smallest d. A result greater than 0 says the first observations were still in the transient.

#include "core/layer.hpp"

#include <cstddef>
#include <vector>

namespace pipesplit::core {

// Observations to drop from the front (a multiple of 5); 0 for a series already steady or too short (< 10).
size_t mser5_truncation(const std::vector<double>& series);

} // namespace pipesplit::core
