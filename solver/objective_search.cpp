#include "solver/objective_search.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_space.hpp"
#include "solver/stage_fits.hpp"
#include "solver/work_measures.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

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

// Units of work a device takes within `slack` seconds of load at `ratio` units per second (none without slack, even
// where a device does some blocks in no time: infinite ratio).
double slack_capacity(double slack, double ratio)
{
  return slack > 0 ? slack * ratio : 0;
}

// Lower bounds of the tie-break keys, in objective.hpp's order after the objective's own.
struct Keys {
  double period, devices, latency, energy, cost, stages;
};

class ObjectiveSearch {
public:
  ObjectiveSearch(const Problem& problem, const PlanRequest& request)
      : problem_(problem), request_(request), space_(problem), partial_(space_), busy_(space_.slots, 0),
        measures_(work_measures(space_)), fits_(space_), used_cost_(0), start_(std::chrono::steady_clock::now())
  {
    fastest_suffix_.assign(space_.blocks + 1, 0);
    for (int b = space_.blocks - 1; b >= 0; --b) {
      double fastest = infinity;
      for (int slot = 0; slot < space_.slots; ++slot)
        fastest = std::min(fastest, space_.stage_seconds(slot, space_.max_threads(slot), b, b));
      fastest_suffix_[b] = fastest_suffix_[b + 1] + fastest;
    }
    cheapest_cut_.assign(space_.blocks + 1, infinity);
    for (int b = space_.blocks - 1; b >= 0; --b) {
      cheapest_cut_[b] = cheapest_cut_[b + 1];
      for (int from = 0; from < space_.slots; ++from)
        for (int to = 0; to < space_.slots; ++to)
          if (space_.host(from) != space_.host(to))
            cheapest_cut_[b] =
                std::min(cheapest_cut_[b],
                         space_.path(space_.host(from), space_.host(to)).seconds(problem.chain.blocks[b].cut_bytes));
    }
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
  std::vector<double> front_lower(const Keys& k) const;
  void bound_front(PlanResult& out) const;
  bool prune() const;
  Keys bounds(bool strong) const;
  bool worse_than_incumbent(const Keys& k) const;
  std::vector<int> open_slots() const;
  double rest_compute(const std::vector<int>& open) const;
  double latency_bound() const;
  double latency_within(double period) const;
  double latency_within(double period, const WorkMeasure& measure) const;
  double devices_bound() const;
  // With `whole`, each device takes whole blocks (WorkMeasure::whole_blocks()); never above the fluid capacity.
  double capacity(double period, int new_devices, bool whole, const WorkMeasure& measure) const;
  bool covers(double period, int new_devices) const;
  double period_limit() const;
  int used_devices() const;
  double period_bound() const;
  bool rest_fits(double period) const;
  double period_against_incumbent() const;
  double energy_bound() const;
  double root_bound() const;
  bool out_of_budget();

  const Problem& problem_;
  const PlanRequest& request_;
  SearchSpace space_;
  PartialPlacement partial_;
  std::vector<double> busy_;           // per slot: compute time of its stages so far (fastest threads)
  std::vector<double> fastest_suffix_; // [b]: blocks b.. each on its fastest device
  mutable std::unordered_map<uint64_t, std::vector<double>> rest_compute_; // fastest_suffix_ over a set of slots
  std::vector<WorkMeasure> measures_; // units of work for the capacity bounds (work_measures.hpp)
  StageFits fits_;                    // can the last stages finish within a period limit (stage_fits.hpp)
  mutable std::vector<double> used_caps_, new_caps_; // capacity()'s scratch
  std::vector<double> cheapest_cut_;                 // [b]: the cheapest transfer of a cut at b.. between devices
  bool primary_only_   = false;                      // first pass: prove the objective's value, ties aside
  int tie_devices_     = 0; // devices objective, second pass: the proven fewest devices (0: unknown)
  double static_power_ = 0; // every host's least power and every link's idle power
  double used_cost_;
  std::chrono::steady_clock::time_point start_;
  long long nodes_ = 0;
  bool exhausted_  = true;
  bool found_      = false;
  PlanResult best_;
  std::vector<FrontPoint> front_;
  std::vector<std::vector<double>> front_values_; // the front's figures on the axes, in front_'s order
  std::vector<std::vector<double>> unexplored_;   // front: the lower bounds of the subtrees the limit left
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

// The most work (in the measure's units) the stages still allowed can take within `period` on at most
// `new_devices` unused devices and, with reuse, the used ones (their slack beyond their core share so far): each
// remaining stage runs on one device, so at most that many devices take work, the largest capacities first. Each
// device takes whole blocks (WorkMeasure::whole_blocks()): the bound respects block granularity, not only the total.
double ObjectiveSearch::capacity(double period, int new_devices, bool whole, const WorkMeasure& measure) const
{
  const bool reuse = problem_.deployment.device_reuse;
  used_caps_.clear();
  new_caps_.clear();
  for (int slot : measure.by_ratio()) // fastest first: the new devices' capacities come sorted
    if (partial_.used(slot)) {
      if (reuse)
        used_caps_.push_back(slack_capacity(period - partial_.core_share(slot), measure.ratio(slot)));
    } else if (static_cast<int>(new_caps_.size()) < new_devices) {
      new_caps_.push_back(slack_capacity(period, measure.ratio(slot)));
    }
  std::sort(used_caps_.begin(), used_caps_.end(), std::greater<>());
  int stages_left = space_.max_stages - partial_.stage_count();
  double total    = 0;
  // whole_blocks() is monotone: the largest capacities stay the largest once rounded, only those need rounding.
  for (size_t u = 0, n = 0; stages_left > 0 && (u < used_caps_.size() || n < new_caps_.size()); --stages_left) {
    const double cap = n == new_caps_.size() || (u < used_caps_.size() && used_caps_[u] > new_caps_[n])
                           ? used_caps_[u++]
                           : new_caps_[n++];
    total += whole ? measure.whole_blocks(partial_.next_block(), cap) : cap;
  }
  return total;
}

// Can the stages still allowed take the rest of the chain within `period`, in every measure? The fluid capacity
// first: the whole-block one is never above it and costlier, so it is asked only where the fluid one does not
// already refuse.
bool ObjectiveSearch::covers(double period, int new_devices) const
{
  const int next = partial_.next_block();
  for (const WorkMeasure& measure : measures_) {
    const double rest = measure.rest(next) * (1 - tolerance);
    if (capacity(period, new_devices, false, measure) < rest || capacity(period, new_devices, true, measure) < rest)
      return false;
  }
  return true;
}

// Devices the chain needs at least: those used, plus, at the minimum rate, the fewest new devices for which the
// stages still allowed can take the rest of the chain's work within the period (capacity()). Without reuse, or with
// nothing used yet, at least one new device while blocks remain. Infinite: the rate is out of reach.
double ObjectiveSearch::devices_bound() const
{
  int used = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  if (partial_.complete())
    return used;
  const int fewest = problem_.deployment.device_reuse && used > 0 ? 0 : 1;
  if (!(request_.constraints.min_rate_hz > 0))
    return used + fewest;
  const double period = 1 / request_.constraints.min_rate_hz;
  for (int added = fewest; added <= space_.slots - used; ++added)
    if (covers(period, added))
      return used + added;
  return infinity;
}

// The latency at least of the placements below whose period is at most `period`: latency_bound(), with the rest's
// compute at least that of its work spread over the open devices, the fastest filled first up to their capacity at
// the period, and a cut (at its cheapest) between every two of the fewest devices whose capacities cover the rest;
// the highest of these bounds over the measures of work.
double ObjectiveSearch::latency_within(double period) const
{
  double bound = latency_bound();
  if (partial_.complete())
    return bound;
  for (const WorkMeasure& measure : measures_)
    bound = std::max(bound, latency_within(period, measure));
  return bound;
}

double ObjectiveSearch::latency_within(double period, const WorkMeasure& measure) const
{
  const bool reuse = problem_.deployment.device_reuse;
  int used         = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  int new_devices   = tie_devices_ > 0 ? tie_devices_ - used : space_.slots - used;
  const double rest = measure.rest(partial_.next_block()) * (1 - tolerance);
  double left = rest, compute = 0;
  used_caps_.clear();
  for (int slot : measure.by_ratio()) { // fastest first
    double cap = 0;
    if (partial_.used(slot))
      cap = reuse ? slack_capacity(period - partial_.core_share(slot), measure.ratio(slot)) : 0;
    else if (new_devices-- > 0)
      cap = slack_capacity(period, measure.ratio(slot));
    const double taken = std::min(cap, std::max(0.0, left));
    if (taken > 0)
      compute += taken / measure.ratio(slot);
    left -= taken;
    used_caps_.push_back(cap);
  }
  if (left > 0)
    return infinity;
  std::sort(used_caps_.begin(), used_caps_.end(), std::greater<>());
  double uncovered = rest;
  int devices      = 0;
  for (size_t i = 0; i < used_caps_.size() && uncovered > 0; ++i, ++devices)
    uncovered -= used_caps_[i];
  const double cuts  = std::max(0, devices - 1) * cheapest_cut_[partial_.next_block()];
  const double floor = latency_bound();
  return std::max(floor, floor - rest_compute(open_slots()) + compute + cuts);
}

// Can the stages still allowed take the rest of the chain's work within `period` (capacity())? In the tie-breaks of
// the devices objective, once its figure k is proven, no placement has fewer devices and those with more lose: the
// rest may use only k - used new devices.
bool ObjectiveSearch::rest_fits(double period) const
{
  if (partial_.complete())
    return true;
  int used = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  const int new_devices = tie_devices_ > 0 ? tie_devices_ - used : space_.slots - used;
  return covers(period, new_devices);
}

// The least period within which the rest fits (rest_fits()), at least the loads so far: bisected, the lower end.
double ObjectiveSearch::period_bound() const
{
  const double low = partial_.period();
  if (rest_fits(low))
    return low;
  double lo = low, hi = std::max(low, 1e-12) * 2;
  while (!rest_fits(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e30)
      return infinity; // no device may take the rest
  }
  for (int i = 0; i < 50 && hi > lo * (1 + 1e-12); ++i) // the capacity grows with the period
    (rest_fits((lo + hi) / 2) ? hi : lo) = (lo + hi) / 2;
  return lo;
}

// period_bound() as far as the comparison with the incumbent's period needs it, in two capacity evaluations: above
// it beyond the tolerance (infinite), within the tolerance (the incumbent's), or the loads so far.
double ObjectiveSearch::period_against_incumbent() const
{
  const double incumbent = best_.figures.period_s;
  if (!rest_fits(incumbent * (1 + tolerance) + 1e-300))
    return infinity;
  if (!rest_fits(incumbent / (1 + tolerance)))
    return std::max(partial_.period(), incumbent);
  return partial_.period();
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

// `strong`: the period from period_bound() (costlier) rather than the loads so far.
Keys ObjectiveSearch::bounds(bool strong) const
{
  return Keys{strong ? period_bound() : partial_.period(),
              devices_bound(),
              latency_bound(),
              energy_bound(),
              used_cost_,
              double(partial_.stage_count() + (partial_.complete() ? 0 : 1))};
}

// Slots that may still take stages: every one (without reuse, the unused ones); in the tie-breaks of the devices
// objective, once every one of the proven k devices is in use, only those.
std::vector<int> ObjectiveSearch::open_slots() const
{
  const bool reuse = problem_.deployment.device_reuse;
  int used         = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  const bool closed = tie_devices_ > 0 && used >= tie_devices_;
  std::vector<int> open;
  for (int slot = 0; slot < space_.slots; ++slot)
    if (partial_.used(slot) ? reuse : !closed)
      open.push_back(slot);
  return open;
}

// The rest's compute time on the open slots, each block on the fastest (memoised by the set of open slots).
double ObjectiveSearch::rest_compute(const std::vector<int>& open) const
{
  const int next = partial_.next_block();
  if (static_cast<int>(open.size()) == space_.slots || space_.slots > 64)
    return fastest_suffix_[next];
  uint64_t mask = 0;
  for (int slot : open)
    mask |= uint64_t{1} << slot;
  auto it = rest_compute_.find(mask);
  if (it == rest_compute_.end()) {
    std::vector<double> suffix(space_.blocks + 1, 0);
    for (int b = space_.blocks - 1; b >= 0; --b) {
      double least = infinity; // none open: no placement below
      for (int slot : open)
        least = std::min(least, space_.stage_seconds(slot, space_.max_threads(slot), b, b));
      suffix[b] = suffix[b + 1] + least;
    }
    it = rest_compute_.emplace(mask, std::move(suffix)).first;
  }
  return it->second[next];
}

// Latency so far, plus the rest's compute on the open slots, the transfer into the next stage (from the source, or
// the last stage's device to another open one) and the last block's out to the sink, each at its cheapest.
double ObjectiveSearch::latency_bound() const
{
  if (partial_.complete())
    return partial_.latency_floor();
  const std::vector<int> open = open_slots();
  const int next              = partial_.next_block();
  const auto& blocks          = problem_.chain.blocks;
  const std::optional<int> from =
      partial_.stage_count() == 0 ? problem_.source : std::optional<int>(space_.host(partial_.last_slot()));
  const double in_bytes = next == 0 ? problem_.chain.input_bytes : blocks[next - 1].cut_bytes;
  double in = from ? infinity : 0, out = problem_.sink ? infinity : 0;
  for (int slot : open) {
    const int host = space_.host(slot);
    if (from && slot != partial_.last_slot())
      in = std::min(in, *from == host ? 0 : space_.path(*from, host).seconds(in_bytes));
    if (problem_.sink)
      out = std::min(out,
                     *problem_.sink == host ? 0 : space_.path(host, *problem_.sink).seconds(blocks.back().cut_bytes));
  }
  return partial_.latency_floor() + rest_compute(open) + in + out;
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
  if (const double limit = period_limit();
      partial_.period() > limit ||
      !fits_.completes(partial_, limit, tie_devices_ > 0 ? tie_devices_ - used_devices() : space_.slots))
    return true;
  const bool strong    = !request_.front_axes.empty();
  Keys k               = bounds(strong);
  const Constraints& c = request_.constraints;
  if ((c.min_rate_hz > 0 && above(k.period * c.min_rate_hz, 1.0)) || above(k.latency, c.max_latency_s) ||
      above(k.energy, c.max_energy_J) || std::isinf(k.devices)) // infinite: the rate is out of reach
    return true;
  if (!request_.front_axes.empty()) { // dominated by a point of the front: so is every placement below
    const std::vector<double> lower = front_lower(k);
    for (const auto& values : front_values_)
      if (dominates_values(values, lower))
        return true;
    return false;
  }
  if (!found_)
    return false;
  if (primary_only_) // cannot improve the objective's figure strictly
    return !above(objective_value(request_.objective, best_.figures), key_of(request_.objective, k));
  if (worse_than_incumbent(k))
    return true;
  if (strong)
    return false;
  k.period = period_against_incumbent(); // the costlier period bound, for the subtrees the others left
  // Tied: only placements within the incumbent's period matter, those beyond rank behind it once the objective's
  // figure ties; not so when the objective is the latency itself (a longer period may come with a shorter latency).
  if (k.period == best_.figures.period_s && request_.objective != Objective::Latency)
    k.latency = std::max(k.latency, latency_within(best_.figures.period_s * (1 + tolerance) + 1e-300));
  return worse_than_incumbent(k);
}

// The period above which a placement does not matter (within the comparison tolerance; infinite: none): 1 / the
// minimum rate; the incumbent's period for the throughput objective and in the tie-breaks of the devices objective
// once its figure is proven (no placement has fewer devices: a longer period ranks behind the incumbent).
double ObjectiveSearch::period_limit() const
{
  double limit = infinity;
  if (request_.constraints.min_rate_hz > 0)
    limit = (1 + tolerance) / request_.constraints.min_rate_hz;
  if (found_ && request_.front_axes.empty() && !primary_only_ &&
      (request_.objective == Objective::Throughput || tie_devices_ > 0))
    limit = std::min(limit, best_.figures.period_s * (1 + tolerance) + 1e-300);
  return limit * (1 + 1e-12); // a hair looser than the comparisons: sums in another order differ in the last bits
}

int ObjectiveSearch::used_devices() const
{
  int used = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  return used;
}

// In the tie-break order, is every placement with these lower bounds worse than the incumbent?
bool ObjectiveSearch::worse_than_incumbent(const Keys& k) const
{
  const Figures& f     = best_.figures;
  const double lower[] = {key_of(request_.objective, k), k.devices, k.period, k.latency, k.energy, k.cost, k.stages};
  const double incumbent[] = {objective_value(request_.objective, f),
                              double(f.devices),
                              f.period_s,
                              f.latency_s,
                              f.energy_J,
                              f.cost,
                              double(f.stages)};
  for (size_t i = 0; i < std::size(lower); ++i) {
    if (above(lower[i], incumbent[i]))
      return true;
    if (above(incumbent[i], lower[i]))
      return false;
  }
  return false;
}

std::vector<double> ObjectiveSearch::front_lower(const Keys& k) const
{
  std::vector<double> lower;
  for (Axis axis : request_.front_axes)
    lower.push_back(axis == Axis::Throughput ? k.period
                    : axis == Axis::Latency  ? k.latency
                    : axis == Axis::Devices  ? k.devices
                    : axis == Axis::Energy   ? k.energy
                                             : k.cost);
  return lower;
}

// A placement below an unexplored subtree has values at least its lower bounds: it can dominate a front point only
// if those bounds are nowhere above the point's values, and then improves each axis at most down to them.
void ObjectiveSearch::bound_front(PlanResult& out) const
{
  out.unexplored_bound.assign(request_.front_axes.size(), infinity);
  for (const auto& lower : unexplored_)
    for (size_t a = 0; a < lower.size(); ++a)
      out.unexplored_bound[a] = std::min(out.unexplored_bound[a], lower[a]);
  for (auto& point : out.front) {
    const std::vector<double> own = values_on(request_.front_axes, point.figures);
    point.bound                   = own;
    for (const auto& lower : unexplored_) {
      bool can_dominate = true;
      for (size_t a = 0; a < lower.size(); ++a)
        can_dominate = can_dominate && !strictly_below(own[a], lower[a]);
      if (!can_dominate)
        continue;
      point.proven = false;
      for (size_t a = 0; a < lower.size(); ++a)
        point.bound[a] = std::min(point.bound[a], lower[a]);
    }
  }
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
  front_.push_back(FrontPoint{placement, figures, true, {}});
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
  if (out_of_budget()) {
    if (!request_.front_axes.empty())
      unexplored_.push_back(front_lower(bounds(true)));
    return;
  }
  ++nodes_;
  if (partial_.complete()) {
    offer();
    return;
  }
  if (partial_.stage_count() == space_.max_stages)
    return;
  const bool reuse = problem_.deployment.device_reuse;
  int used         = 0;
  for (int slot = 0; slot < space_.slots; ++slot)
    used += partial_.used(slot);
  // In the tie-breaks of the devices objective, a device beyond the proven fewest ranks behind the incumbent.
  const bool closed = tie_devices_ > 0 && found_ && used >= tie_devices_;
  for (int slot = 0; slot < space_.slots; ++slot) {
    if (slot == partial_.last_slot() || (partial_.used(slot) ? !reuse : closed))
      continue;
    const bool first_use = !partial_.used(slot);
    const double cost    = first_use ? problem_.host(space_.host(slot)).cost : 0;
    const int first      = partial_.next_block();
    const int threads    = space_.auto_threads ? space_.cores(slot) : space_.default_threads(slot);
    // Longest stages first: placements with few stages and devices come early and prune the rest. Those whose own
    // load passes the period limit, or after which the stages left cannot finish the chain, are pruned anyway:
    // skipped (StageFits::shortest_end()).
    const double limit      = period_limit();
    const bool closed_after = tie_devices_ > 0 && found_ && used + first_use >= tie_devices_;
    const int shortest      = fits_.shortest_end(partial_, slot, closed_after, limit);
    for (int last = fits_.reach(partial_, slot, first, limit); last >= shortest; --last) {
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
  return key_of(request_.objective, bounds(true));
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
    if (value_proven_ && found_ && request_.objective == Objective::Devices)
      tie_devices_ = best_.figures.devices;
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
  PlanResult out = best_;
  out.front      = front_;
  if (!request_.front_axes.empty())
    bound_front(out);
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
