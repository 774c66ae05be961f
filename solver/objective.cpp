#include "solver/objective.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace pipesplit::solver {

Objective parse_objective(const std::string& text)
{
  for (Objective objective : all_objectives())
    if (text == to_string(objective))
      return objective;
  throw std::invalid_argument(
      fmt::format("unknown objective '{}' (expected throughput, devices, cost, latency or energy)", text));
}

std::string to_string(Objective objective)
{
  switch (objective) {
  case Objective::Throughput:
    return "throughput";
  case Objective::Devices:
    return "devices";
  case Objective::Cost:
    return "cost";
  case Objective::Latency:
    return "latency";
  case Objective::Energy:
    return "energy";
  }
  return "?";
}

std::vector<Objective> all_objectives()
{
  return {Objective::Throughput, Objective::Devices, Objective::Cost, Objective::Latency, Objective::Energy};
}

bool Constraints::any() const
{
  return min_rate_hz > 0 || std::isfinite(max_latency_s) || std::isfinite(max_energy_J);
}

std::string Constraints::describe() const
{
  std::vector<std::string> parts;
  if (min_rate_hz > 0)
    parts.push_back(fmt::format("rate >= {:g} inferences/s", min_rate_hz));
  if (std::isfinite(max_latency_s))
    parts.push_back(fmt::format("latency <= {:g} s", max_latency_s));
  if (std::isfinite(max_energy_J))
    parts.push_back(fmt::format("energy <= {:g} J per inference", max_energy_J));
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

Figures figures_of(const Problem& problem, const Placement& placement, const Prediction& prediction,
                   const EnergyPrediction& energy)
{
  Figures f;
  f.period_s  = prediction.period_s;
  f.latency_s = prediction.latency_s;
  f.energy_J  = energy.energy_J;
  std::set<int> devices;
  for (const auto& stage : placement.stages)
    devices.insert(stage.device);
  for (int device : devices)
    f.cost += problem.host(device).cost;
  f.devices = static_cast<int>(devices.size());
  f.stages  = static_cast<int>(placement.stages.size());
  f.text    = to_string(placement, problem.platform);
  return f;
}

double objective_value(Objective objective, const Figures& f)
{
  switch (objective) {
  case Objective::Throughput:
    return f.period_s;
  case Objective::Devices:
    return f.devices;
  case Objective::Cost:
    return f.cost;
  case Objective::Latency:
    return f.latency_s;
  case Objective::Energy:
    return f.energy_J;
  }
  return 0;
}

// Relative tolerance of "equal" figures: sums of the same terms in another order differ in the last bits.
static constexpr double tolerance = 1e-9;

static bool within(double value, double bound)
{
  return value <= bound * (1 + tolerance) + 1e-300;
}

bool meets(const Constraints& c, const Figures& f)
{
  return (c.min_rate_hz <= 0 || within(f.period_s * c.min_rate_hz, 1.0)) && within(f.latency_s, c.max_latency_s) &&
         within(f.energy_J, c.max_energy_J);
}

// -1 when a < b, 1 when a > b, 0 when equal within the tolerance.
static int compare(double a, double b)
{
  if (a < b * (1 - tolerance) && a < b - 1e-300)
    return -1;
  if (b < a * (1 - tolerance) && b < a - 1e-300)
    return 1;
  return 0;
}

bool preferred(Objective objective, const Figures& a, const Figures& b)
{
  const double keys_a[] = {
      objective_value(objective, a), double(a.devices), a.period_s, a.latency_s, a.energy_J, a.cost, double(a.stages)};
  const double keys_b[] = {
      objective_value(objective, b), double(b.devices), b.period_s, b.latency_s, b.energy_J, b.cost, double(b.stages)};
  for (size_t k = 0; k < std::size(keys_a); ++k)
    if (const int order = compare(keys_a[k], keys_b[k]); order != 0)
      return order < 0;
  return a.text < b.text;
}

double headroom_ips(const Problem& problem, const Placement& placement)
{
  Problem unpaced                   = problem;
  unpaced.deployment.source_rate_hz = 0;
  unpaced.deployment.window         = 0;
  const Prediction prediction       = predict(unpaced, placement);
  return prediction.period_s > 0 ? 1 / prediction.period_s : 0;
}

} // namespace pipesplit::solver
