#include "max_min_sharing.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit {

std::vector<double> max_min_rates(const std::vector<double>& capacities, const std::vector<SharingVariable>& variables)
{
  constexpr double infinity = std::numeric_limits<double>::infinity();
  const size_t n            = variables.size();
  std::vector<double> rates(n, infinity);
  std::vector<bool> fixed(n, false);
  std::vector<double> remaining = capacities;
  size_t left                   = n;
  while (left > 0) {
    // The level at which the next constraint saturates, or the next bound is reached.
    std::vector<double> usage(capacities.size(), 0);
    for (size_t v = 0; v < n; ++v)
      if (!fixed[v])
        for (const auto& e : variables[v].elements)
          usage[e.constraint] += e.weight / variables[v].penalty;
    double level = infinity;
    for (size_t c = 0; c < capacities.size(); ++c)
      if (usage[c] > 0)
        level = std::min(level, std::max(remaining[c], 0.0) / usage[c]);
    for (size_t v = 0; v < n; ++v)
      if (!fixed[v] && variables[v].bound >= 0)
        level = std::min(level, variables[v].bound * variables[v].penalty);
    if (level == infinity)
      break; // what is left uses nothing and has no bound
    // Fix every variable that reaches its limit at this level (within a relative 1e-12).
    const double reached = level * (1 + 1e-12);
    std::vector<bool> saturated(capacities.size(), false);
    for (size_t c = 0; c < capacities.size(); ++c)
      saturated[c] = usage[c] > 0 && std::max(remaining[c], 0.0) / usage[c] <= reached;
    for (size_t v = 0; v < n; ++v) {
      const auto& variable = variables[v];
      if (fixed[v])
        continue;
      const bool at_bound     = variable.bound >= 0 && variable.bound * variable.penalty <= reached;
      const bool on_saturated = std::any_of(variable.elements.begin(), variable.elements.end(),
                                            [&](const SharingElement& e) { return saturated[e.constraint]; });
      if (!at_bound && !on_saturated)
        continue;
      rates[v] = at_bound ? std::min(variable.bound, level / variable.penalty) : level / variable.penalty;
      fixed[v] = true;
      --left;
      for (const auto& e : variable.elements)
        remaining[e.constraint] -= e.weight * rates[v];
    }
  }
  return rates;
}

} // namespace pipesplit
