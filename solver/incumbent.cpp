#include "solver/incumbent.hpp"
#include "solver/solver.hpp"

#include <algorithm>

namespace pipesplit::solver {

static bool below(double a, double b)
{
  return a < b * (1 - tie_tolerance);
}

bool better(const Prediction& a, size_t stages_a, const Prediction& b, size_t stages_b)
{
  if (below(a.period_s, b.period_s))
    return true;
  if (below(b.period_s, a.period_s))
    return false;
  if (below(a.latency_s, b.latency_s))
    return true;
  if (below(b.latency_s, a.latency_s))
    return false;
  return stages_a < stages_b;
}

bool Incumbent::offer(const Placement& candidate, const Prediction& candidate_prediction, const std::string& from)
{
  if (!candidate_prediction.violations.empty())
    return false;
  if (collect_below_s > 0)
    collect(candidate, candidate_prediction);
  if (found && !better(candidate_prediction, candidate.stages.size(), prediction, placement.stages.size()))
    return false;
  found      = true;
  placement  = candidate;
  prediction = candidate_prediction;
  origin     = from;
  return true;
}

static bool lower_period(const std::pair<Placement, Prediction>& a, const std::pair<Placement, Prediction>& b)
{
  return a.second.period_s < b.second.period_s;
}

double Incumbent::collect_threshold() const
{
  return collect_limit > 0 && collected.size() >= collect_limit
             ? std::min(collect_below_s, collected.front().second.period_s)
             : collect_below_s;
}

void Incumbent::collect(const Placement& candidate, const Prediction& candidate_prediction)
{
  if (collect_limit == 0 || candidate_prediction.period_s >= collect_threshold()) {
    collect_overflow |= candidate_prediction.period_s < collect_below_s;
    return;
  }
  if (collected.size() >= collect_limit) {
    collect_overflow = true;
    std::pop_heap(collected.begin(), collected.end(), lower_period);
    collected.pop_back();
  }
  collected.emplace_back(candidate, candidate_prediction);
  std::push_heap(collected.begin(), collected.end(), lower_period);
  // Once full, searches prune against the highest kept period: what they prune is left out unseen.
  collect_overflow |= collected.size() >= collect_limit;
}

bool Incumbent::may_improve(double period_floor, double latency_floor, size_t stages) const
{
  if (collect_below_s > 0)
    return period_floor < collect_threshold();
  if (found && gap > 0)
    return below(period_floor, prediction.period_s * (1 - gap));
  if (!found || below(period_floor, prediction.period_s))
    return true;
  if (below(prediction.period_s, period_floor))
    return false;
  if (below(latency_floor, prediction.latency_s))
    return true;
  if (below(prediction.latency_s, latency_floor))
    return false;
  return stages < placement.stages.size();
}

} // namespace pipesplit::solver
