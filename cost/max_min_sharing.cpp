#include "cost/max_min_sharing.hpp"

#include <algorithm>
#include <limits>

namespace pipesplit::cost {

std::vector<double> max_min_rates(const std::vector<SharingConstraint>& constraints,
                                  const std::vector<SharingVariable>& variables)
{
  constexpr double infinity = std::numeric_limits<double>::infinity();
  const size_t n            = variables.size();
  std::vector<double> rates(n, infinity);
  std::vector<bool> fixed(n, false);
  std::vector<double> remaining;
  for (const auto& constraint : constraints)
    remaining.push_back(constraint.capacity);
  size_t left = n;
  while (left > 0) {
    // The level at which the next constraint saturates, or the next bound is reached.
    std::vector<double> usage(constraints.size(), 0);
    for (size_t v = 0; v < n; ++v)
      if (!fixed[v])
        for (const auto& e : variables[v].elements) {
          const double use = e.weight / variables[v].penalty;
          usage[e.constraint] =
              constraints[e.constraint].fatpipe ? std::max(usage[e.constraint], use) : usage[e.constraint] + use;
        }
    double level = infinity;
    for (size_t c = 0; c < constraints.size(); ++c)
      if (usage[c] > 0)
        level = std::min(level, std::max(remaining[c], 0.0) / usage[c]);
    for (size_t v = 0; v < n; ++v)
      if (!fixed[v] && variables[v].bound >= 0)
        level = std::min(level, variables[v].bound * variables[v].penalty);
    if (level == infinity)
      break; // what is left uses nothing and has no bound
    // Fix every variable that reaches its limit at this level (within a relative 1e-12).
    const double reached = level * (1 + 1e-12);
    std::vector<bool> saturated(constraints.size(), false);
    for (size_t c = 0; c < constraints.size(); ++c)
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
        if (!constraints[e.constraint].fatpipe)
          remaining[e.constraint] -= e.weight * rates[v];
    }
  }
  return rates;
}

} // namespace pipesplit::cost
