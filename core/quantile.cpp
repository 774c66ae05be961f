#include "core/quantile.hpp"

#include <algorithm>
#include <cmath>

namespace pipesplit::core {

double quantile(std::vector<double> values, double q)
{
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace pipesplit::core
