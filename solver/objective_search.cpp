#include "solver/objective_search.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace pipesplit::solver {

Axis parse_axis(const std::string& text)
{
  for (Axis axis : {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy, Axis::Cost})
    if (text == to_string(axis))
      return axis;
  throw std::invalid_argument("unknown axis '" + text + "' (expected throughput, latency, devices, energy or cost)");
}

std::string to_string(Axis axis)
{
  switch (axis) {
  case Axis::Throughput:
    return "throughput";
  case Axis::Latency:
    return "latency";
  case Axis::Devices:
    return "devices";
  case Axis::Energy:
    return "energy";
  case Axis::Cost:
    return "cost";
  }
  return "?";
}

double axis_value(Axis axis, const Figures& f)
{
  switch (axis) {
  case Axis::Throughput:
    return f.period_s;
  case Axis::Latency:
    return f.latency_s;
  case Axis::Devices:
    return f.devices;
  case Axis::Energy:
    return f.energy_J;
  case Axis::Cost:
    return f.cost;
  }
  return 0;
}

// a below b beyond the tolerance / a not above b beyond it.
static bool strictly_below(double a, double b)
{
  return a < b * (1 - 1e-9) && a < b - 1e-300;
}

static bool dominates_values(const std::vector<double>& a, const std::vector<double>& b)
{
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (strictly_below(b[i], a[i]))
      return false;
    better = better || strictly_below(a[i], b[i]);
  }
  return better;
}

static std::vector<double> values_on(const std::vector<Axis>& axes, const Figures& f)
{
  std::vector<double> out;
  for (Axis axis : axes)
    out.push_back(axis_value(axis, f));
  return out;
}

bool dominates(const std::vector<Axis>& axes, const Figures& a, const Figures& b)
{
  return dominates_values(values_on(axes, a), values_on(axes, b));
}

namespace {

constexpr double infinity  = std::numeric_limits<double>::infinity();
constexpr double tolerance = 1e-9; // as objective.cpp compares figures

// Lower bounds of the tie-break keys, in objective.hpp's order after the objective's own.
struct Keys {
  double period, devices, latency, energy, cost, stages;
};

class ObjectiveSearch {
public:
  ObjectiveSearch(const Problem& problem, const PlanRequest& request)
      : problem_(problem), request_(request), space_(problem), partial_(space_), busy_(space_.slots, 0), used_cost_(0),
        start_(std::chrono::steady_clock::now())
  {
    fastest_suffix_.assign(space_.blocks + 1, 0);
    for (int b = space_.blocks - 1; b >= 0; --b) {
      double fastest = infinity;
      for (int slot = 0; slot < space_.slots; ++slot)
        fastest = std::min(fastest, space_.stage_seconds(slot, space_.max_threads(slot), b, b));
      fastest_suffix_[b] = fastest_suffix_[b + 1] + fastest;
    }
    // A device's best speed relative to the fastest, over the blocks: it computes at most period x ratio of the
    // chain's fastest-device work within a period.
    ratio_.assign(space_.slots, 0);
    for (int slot = 0; slot < space_.slots; ++slot)
      for (int b = 0; b < space_.blocks; ++b)
        ratio_[slot] = std::max(ratio_[slot], (fastest_suffix_[b] - fastest_suffix_[b + 1]) /
                                                  space_.stage_seconds(slot, space_.max_threads(slot), b, b));
    for (const auto& host : problem.platform.hosts)
      if (host.has_power()) {
        const PowerState& p = host.power.at(host.pstate);
        static_power_ += std::min({p.idle_W, p.epsilon_W, host.wattage_off_W});
      }
    for (const auto& link : problem.platform.links)
      if (link.power)
        static_power_ += std::min(link.power->idle_W, link.power->busy_W);
  }

  PlanResult run();

private:
  void extend();
  void offer();
  void add_to_front(const Placement& placement, const Figures& figures);
  bool prune() const;
  Keys bounds() const;
  double devices_bound() const;
  double energy_bound() const;
  double root_bound() const;
  bool out_of_budget();

  const Problem& problem_;
  const PlanRequest& request_;
  SearchSpace space_;
  PartialPlacement partial_;
  std::vector<double> busy_;           // per slot: compute time of its stages so far (fastest threads)
  std::vector<double> fastest_suffix_; // [b]: blocks b.. each on its fastest device
  std::vector<double> ratio_;          // per slot: max over blocks of fastest time / its time (<= 1)
  bool primary_only_   = false;        // first pass: prove the objective's value, ties aside
  double static_power_ = 0;            // every host's least power and every link's idle power
  double used_cost_;
  std::chrono::steady_clock::time_point start_;
  long long nodes_ = 0;
  bool exhausted_  = true;
  bool found_      = false;
  PlanResult best_;
  std::vector<FrontPoint> front_;
  std::vector<std::vector<double>> front_values_; // the front's figures on the axes, in front_'s order
  std::vector<Figures> explored_;
  long long evaluated_     = 0;
  bool value_proven_       = false;
  long long nodes_primary_ = 0;
  double value_wall_s_     = 0;
};

bool ObjectiveSearch::out_of_budget()
{
  if (!exhausted_)
    return true;
  if (request_.node_limit > 0 && nodes_ >= request_.node_limit)
    exhausted_ = false;
  else if (request_.time_limit_s > 0 && nodes_ % 1024 == 0 &&
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > request_.time_limit_s)
    exhausted_ = false;
  return !exhausted_;
}

// Devices the chain needs at least: those used, plus, at the minimum rate, the fewest new devices whose capacity
// (period x their relative speed, fastest first) covers the rest's fastest compute beyond what the used devices
// can still take (with reuse: their slack within the period, times their relative speed). Without reuse, or with
// nothing used yet, at least one new device while blocks remain.
double ObjectiveSearch::devices_bound() const
{
  const bool reuse    = problem_.deployment.device_reuse;
  const double period = request_.constraints.min_rate_hz > 0 ? 1 / request_.constraints.min_rate_hz : infinity;
  double used = 0, capacity = 0;
  std::vector<double> unused;
  for (int slot = 0; slot < space_.slots; ++slot)
    if (partial_.used(slot)) {
      ++used;
      if (reuse)
        capacity += std::max(0.0, period - partial_.device_load_of(slot)) * ratio_[slot];
    } else {
      unused.push_back(ratio_[slot]);
    }
  if (partial_.complete())
    return used;
  const double fewest = reuse && used > 0 ? 0 : 1;
  if (!std::isfinite(period))
    return used + fewest;
  double rest = fastest_suffix_[partial_.next_block()] * (1 - tolerance) - capacity;
  std::sort(unused.begin(), unused.end(), std::greater<>());
  double added = 0;
  for (double r : unused) {
    if (rest <= 0 && added >= fewest)
      break;
    rest -= period * r;
    ++added;
  }
  return rest > 0 ? infinity : used + std::max(added, fewest);
}

double ObjectiveSearch::energy_bound() const
{
  const double period = partial_.period();
  double energy       = static_power_ * period;
  for (int slot = 0; slot < space_.slots; ++slot) {
    const HostInfo& host = problem_.host(space_.host(slot));
    if (!partial_.used(slot) || !host.has_power())
      continue;
    const PowerState& p = host.power.at(host.pstate);
    // On: at least min(Idle, Epsilon) all the time (counted above as the host's least power, which may be off).
    energy += (std::min(p.idle_W, p.epsilon_W) - std::min({p.idle_W, p.epsilon_W, host.wattage_off_W})) * period;
    energy += std::max(0.0, p.epsilon_W - p.idle_W) * std::min(busy_[slot], period);
    energy += std::max(0.0, p.all_cores_W - p.epsilon_W) * partial_.core_share(slot);
  }
  return energy;
}

Keys ObjectiveSearch::bounds() const
{
  const int next = partial_.next_block();
  return Keys{partial_.period(), devices_bound(), partial_.latency_floor() + fastest_suffix_[next],
              energy_bound(),    used_cost_,      double(partial_.stage_count() + (partial_.complete() ? 0 : 1))};
}

static double key_of(Objective objective, const Keys& k)
{
  switch (objective) {
  case Objective::Throughput:
    return k.period;
  case Objective::Devices:
    return k.devices;
  case Objective::Cost:
    return k.cost;
  case Objective::Latency:
    return k.latency;
  case Objective::Energy:
    return k.energy;
  }
  return 0;
}

static bool above(double value, double bound)
{
  return value > bound * (1 + tolerance) + 1e-300;
}

// Cannot meet a constraint, or cannot beat the incumbent in the tie-break order.
bool ObjectiveSearch::prune() const
{
  const Keys k         = bounds();
  const Constraints& c = request_.constraints;
  if ((c.min_rate_hz > 0 && above(k.period * c.min_rate_hz, 1.0)) || above(k.latency, c.max_latency_s) ||
      above(k.energy, c.max_energy_J) || std::isinf(k.devices)) // infinite: the rate is out of reach
    return true;
  if (!request_.front_axes.empty()) { // dominated by a point of the front: so is every placement below
    std::vector<double> lower;
    for (Axis axis : request_.front_axes)
      lower.push_back(axis == Axis::Throughput ? k.period
                      : axis == Axis::Latency  ? k.latency
                      : axis == Axis::Devices  ? k.devices
                      : axis == Axis::Energy   ? k.energy
                                               : k.cost);
    for (const auto& values : front_values_)
      if (dominates_values(values, lower))
        return true;
    return false;
  }
  if (!found_)
    return false;
  const Figures& f     = best_.figures;
  const double lower[] = {key_of(request_.objective, k), k.devices, k.period, k.latency, k.energy, k.cost, k.stages};
  const double incumbent[] = {objective_value(request_.objective, f),
                              double(f.devices),
                              f.period_s,
                              f.latency_s,
                              f.energy_J,
                              f.cost,
                              double(f.stages)};
  if (primary_only_) // cannot improve the objective's figure strictly
    return !above(incumbent[0], lower[0]);
  for (size_t i = 0; i < std::size(lower); ++i) {
    if (above(lower[i], incumbent[i]))
      return true;
    if (above(incumbent[i], lower[i]))
      return false;
  }
  return false;
}

void ObjectiveSearch::add_to_front(const Placement& placement, const Figures& figures)
{
  const auto values = values_on(request_.front_axes, figures);
  for (const auto& other : front_values_)
    if (dominates_values(other, values))
      return;
  for (size_t i = front_.size(); i-- > 0;) // the points the new one dominates leave
    if (dominates_values(values, front_values_[i])) {
      front_.erase(front_.begin() + static_cast<long>(i));
      front_values_.erase(front_values_.begin() + static_cast<long>(i));
    }
  front_.push_back(FrontPoint{placement, figures});
  front_values_.push_back(values);
}

void ObjectiveSearch::offer()
{
  Placement placement  = partial_.placement();
  Prediction predicted = evaluate_placement(problem_, placement);
  if (!predicted.violations.empty())
    return;
  EnergyPrediction energy = predict_energy(problem_, placement, predicted);
  const Figures figures   = figures_of(problem_, placement, predicted, energy);
  ++evaluated_;
  if (!meets(request_.constraints, figures))
    return;
  if (explored_.size() < request_.keep_explored)
    explored_.push_back(figures);
  if (!request_.front_axes.empty()) {
    add_to_front(placement, figures);
    return;
  }
  if (found_ && !preferred(request_.objective, figures, best_.figures))
    return;
  found_           = true;
  best_.placement  = placement;
  best_.prediction = std::move(predicted);
  best_.energy     = std::move(energy);
  best_.figures    = figures;
}

void ObjectiveSearch::extend()
{
  if (out_of_budget())
    return;
  ++nodes_;
  if (partial_.complete()) {
    offer();
    return;
  }
  if (partial_.stage_count() == space_.max_stages)
    return;
  const bool reuse = problem_.deployment.device_reuse;
  for (int slot = 0; slot < space_.slots; ++slot) {
    if (slot == partial_.last_slot() || (!reuse && partial_.used(slot)))
      continue;
    const bool first_use = !partial_.used(slot);
    const double cost    = first_use ? problem_.host(space_.host(slot)).cost : 0;
    const int first      = partial_.next_block();
    const int threads    = space_.auto_threads ? space_.cores(slot) : space_.default_threads(slot);
    // Longest stages first: placements with few stages and devices come early and prune the rest.
    for (int last = space_.blocks - 1; last >= first; --last) {
      if (!partial_.push(slot, last, threads))
        continue; // memory: a shorter stage may still fit
      const double seconds = space_.stage_seconds(slot, threads, first, last);
      busy_[slot] += seconds;
      used_cost_ += cost;
      if (!prune())
        extend();
      used_cost_ -= cost;
      busy_[slot] -= seconds;
      partial_.pop();
    }
  }
}

// A proven lower bound on the objective's figure of every placement (the root of the search).
double ObjectiveSearch::root_bound() const
{
  return key_of(request_.objective, bounds());
}

PlanResult ObjectiveSearch::run()
{
  const double root = root_bound();
  // Devices and cost have plateaus of equal figures: prove the figure first, pruning every subtree that cannot
  // improve it, then break the ties among the placements that reach it.
  if (request_.front_axes.empty() &&
      (request_.objective == Objective::Devices || request_.objective == Objective::Cost)) {
    primary_only_ = true;
    extend();
    primary_only_  = false;
    value_proven_  = exhausted_;
    nodes_primary_ = nodes_;
    value_wall_s_  = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  extend();
  if (!request_.front_axes.empty()) {
    std::sort(front_.begin(), front_.end(), [](const FrontPoint& a, const FrontPoint& b) {
      return preferred(Objective::Throughput, a.figures, b.figures);
    });
    found_ = !front_.empty();
    if (found_) {
      best_.placement  = front_.front().placement;
      best_.prediction = evaluate_placement(problem_, best_.placement);
      best_.energy     = predict_energy(problem_, best_.placement, best_.prediction);
      best_.figures    = front_.front().figures;
    }
  }
  PlanResult out     = best_;
  out.front          = front_;
  out.explored       = explored_;
  out.evaluated      = evaluated_;
  out.feasible       = found_;
  out.nodes          = nodes_;
  out.optimal        = exhausted_; // with nothing found: proven infeasible
  out.value_proven   = exhausted_ || value_proven_;
  out.nodes_to_value = nodes_primary_;
  out.value_wall_s   = value_wall_s_;
  out.wall_s         = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (!found_) {
    out.note = exhausted_ ? "no placement meets the constraints"
                          : "stopped at the time or node limit before any placement met the constraints";
    return out;
  }
  const double value = objective_value(request_.objective, out.figures);
  out.lower_bound    = out.value_proven ? value : std::min(root, value);
  out.gap            = value > 0 ? (value - out.lower_bound) / value : 0;
  out.headroom_ips   = headroom_ips(problem_, out.placement);
  if (!out.optimal)
    out.note = out.value_proven ? "the objective's figure is proven; the time or node limit stopped the tie-breaks"
                                : "stopped at the time or node limit: the best placement found, with its gap to the "
                                  "root bound";
  return out;
}

} // namespace

Problem at_pstates(const Problem& problem, const std::vector<int>& pstates)
{
  Problem out = problem;
  for (size_t h = 0; h < pstates.size(); ++h) {
    HostInfo& host        = out.platform.hosts[h];
    host.pstate           = pstates[h];
    host.core_speed_flops = host.pstate_speeds.empty() ? host.core_speed_flops : host.pstate_speeds[pstates[h]];
  }
  return out;
}

// Every pstate assignment of the devices, each searched exactly: the best under the objective's order.
static PlanResult plan_with_pstates(const Problem& problem, const PlanRequest& request)
{
  std::vector<int> pstates;
  for (const auto& host : problem.platform.hosts)
    pstates.push_back(host.pstate);
  for (int device : problem.devices)
    pstates[device] = 0;
  PlanResult best;
  long long nodes = 0, evaluated = 0;
  bool exhausted = true;
  while (true) {
    PlanResult result = ObjectiveSearch(at_pstates(problem, pstates), request).run();
    nodes += result.nodes;
    evaluated += result.evaluated;
    exhausted = exhausted && result.optimal;
    if (result.feasible && (!best.feasible || preferred(request.objective, result.figures, best.figures))) {
      best         = std::move(result);
      best.pstates = pstates;
    }
    // The next assignment: the last device's pstate first (an odometer over problem.devices).
    int i = static_cast<int>(problem.devices.size()) - 1;
    for (; i >= 0; --i) {
      const int device = problem.devices[i];
      const int count  = std::max<int>(1, problem.host(device).pstate_speeds.size());
      if (++pstates[device] < count)
        break;
      pstates[device] = 0;
    }
    if (i < 0)
      break;
  }
  best.nodes     = nodes;
  best.evaluated = evaluated;
  best.optimal   = exhausted;
  if (!best.feasible)
    best.note = exhausted ? "no placement meets the constraints, at any pstate" : best.note;
  return best;
}

PlanResult plan(const Problem& problem, const PlanRequest& request)
{
  if (request.choose_pstates && request.front_axes.empty() &&
      (request.objective == Objective::Energy || request.objective == Objective::Cost))
    return plan_with_pstates(problem, request);
  return ObjectiveSearch(problem, request).run();
}

} // namespace pipesplit::solver
