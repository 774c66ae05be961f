#include "core/steady_state.hpp"

#include <algorithm>
#include <cmath>

namespace pipesplit::core {

size_t mser5_truncation(const std::vector<double>& series)
{
  constexpr size_t batch = 5;
  const size_t m         = series.size() / batch;
  if (m < 2)
    return 0;
  std::vector<double> means(m, 0);
  for (size_t i = 0; i < m * batch; ++i)
    means[i / batch] += series[i] / batch;
  // Centred first, so that the suffix sums below do not cancel catastrophically on a nearly constant series.
  double total = 0;
  for (double mean : means)
    total += mean;
  const double centre = total / static_cast<double>(m);
  for (double& mean : means)
    mean -= centre;
  // Suffix sums give each candidate's mean and squared deviations in one pass from the back.
  double sum = 0, squares = 0;
  std::vector<double> score(m, 0);
  for (size_t d = m; d-- > 0;) {
    sum += means[d];
    squares += means[d] * means[d];
    const double n         = static_cast<double>(m - d);
    const double deviation = std::max(0.0, squares - sum * sum / n); // sum of (Z - mean)^2, rounding clamped
    score[d]               = deviation / (n * n);
  }
  // Strictly better beyond rounding (a deterministic simulation's steady series varies by 1e-15 relative): a
  // difference must exceed what a relative spread of 1e-9 around the mean would give; ties go to the earliest.
  const double scale = std::abs(centre);
  const double floor = std::pow(1e-9 * scale, 2) / static_cast<double>(m);
  size_t best        = 0;
  for (size_t d = 1; d <= m / 2; ++d)
    if (score[d] < score[best] - floor)
      best = d;
  return best * batch;
}

} // namespace pipesplit::core
