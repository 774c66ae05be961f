// Dynamic programming over device types (PipeEdge's setting: many identical devices), for contiguous stages on
// distinct devices when the devices' types meet device_types.hpp's condition. A placement is then known, up to
// relabelling members of a type, by its stages' blocks and types: the state is (blocks placed, devices used per
// type, type of the last stage's device), as in dynamic_programming.cpp, but the bottleneck is found differently:
//  1. the optimal period P* is the smallest candidate (a stage's compute time or a transfer's time) under which some
//     placement keeps every stage and transfer; that feasibility test is a pass over (devices used per type, last
//     type) that carries the set of reachable block frontiers as a bitset, with each stage's ends swept once;
//     binary search over the sorted candidates;
//  2. one pass over the states reachable under P* then minimises the latency (then the number of stages), as the
//     other solvers break ties, and gives the placement.
// Exact under dp_exactness's condition (no two transfers of a placement share a link) plus the types' condition,
// and, with automatic threads, when every core is never slower for any block (a stage alone on its device then runs
// on every core, as evaluate_placement chooses).

#include "solver/device_types.hpp"
#include "solver/search_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>

namespace pipesplit::solver {

namespace {

constexpr double infinity    = std::numeric_limits<double>::infinity();
constexpr size_t state_limit = 4'000'000;

// With automatic threads, a block slower on every core than on fewer, if any (then the DP's choice of every core
// for a stage alone may not be the best).
std::string slower_on_every_core(const SearchSpace& space)
{
  if (!space.auto_threads)
    return "";
  for (int slot = 0; slot < space.slots; ++slot) {
    const int all = space.max_threads(slot);
    for (int t = space.min_threads(slot); t < all; ++t)
      for (int b = 0; b < space.blocks; ++b)
        if (space.stage_seconds(slot, all, b, b) > space.stage_seconds(slot, t, b, b))
          return fmt::format("block {} is slower on every core of {} than on {}", b,
                             space.problem.host(space.host(slot)).name, t);
  }
  return "";
}

class TypeDynamicProgram {
public:
  TypeDynamicProgram(const SearchSpace& space, DeviceTypes types)
      : space_(space), problem_(space.problem), types_(std::move(types)), n_(space.blocks), count_(types_.count())
  {
    radix_.assign(count_ + 1, 1);
    for (int t = 0; t < count_; ++t) {
      if (radix_[t] > state_limit) {
        combos_ = std::numeric_limits<size_t>::max();
        return;
      }
      radix_[t + 1] = radix_[t] * (types_.members[t].size() + 1);
    }
    combos_ = radix_[count_];
    stages_of_.assign(combos_, 0);
    for (size_t combo = 1; combo < combos_; ++combo)
      for (int t = 0; t < count_; ++t)
        stages_of_[combo] += used(combo, t);
    words_ = static_cast<size_t>(n_) / 64 + 1; // frontiers 0..n
    // stage_memory(first, last) = weights(first, last) + queue x (input of first + output of last)
    //                           = (weights before last + 1) + queue x output of last - behind_[first]
    const double queue = problem_.deployment.queue_depth;
    for (int first = 0; first < n_; ++first)
      behind_.push_back((first > 0 ? space_.weights(0, first - 1) : 0) - queue * problem_.chain.input_bytes_of(first));
  }

  size_t states() const
  {
    return combos_ > state_limit ? std::numeric_limits<size_t>::max() : static_cast<size_t>(n_ + 1) * combos_ * count_;
  }

  // Every value the optimal period can take: stage compute times and transfer times, sorted, without repeats, from
  // a floor that every placement's period reaches: each block runs somewhere, at best on its fastest type, and
  // the stages (at most max_stages) share that work (less a margin for rounding).
  std::vector<double> candidate_periods() const
  {
    double work = 0, longest_block = 0;
    for (int b = 0; b < n_; ++b) {
      double fastest = infinity;
      for (int t = 0; t < count_; ++t)
        fastest = std::min(fastest, compute(t, b, b));
      work += fastest;
      longest_block = std::max(longest_block, fastest);
    }
    const double floor = std::max(longest_block, work / space_.max_stages) * (1 - 1e-9);
    std::vector<double> values;
    auto offer = [&](double value) {
      if (value >= floor)
        values.push_back(value);
    };
    for (int t = 0; t < count_; ++t) {
      for (int first = 0; first < n_; ++first)
        for (int last = n_ - 1; last >= first && compute(t, first, last) >= floor; --last)
          values.push_back(compute(t, first, last));
      offer(types_.from_source[t].seconds(problem_.chain.input_bytes));
      offer(types_.to_sink[t].seconds(problem_.chain.blocks.back().cut_bytes));
      for (int u = 0; u < count_; ++u)
        for (int f = 1; f < n_; ++f)
          offer(types_.between[t][u].seconds(bytes_into(f)));
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
  }

  // Is there a placement whose every stage and transfer takes at most `period`?
  bool feasible(double period, long long& nodes)
  {
    prepare(period);
    reach_.assign(combos_ * count_ * words_, 0);
    std::vector<uint64_t> start(words_);
    for (int u = 0; u < count_; ++u)
      if (!types_.members[u].empty() && types_.from_source[u].seconds(problem_.chain.input_bytes) <= period) {
        std::fill(start.begin(), start.end(), 0);
        start[0] = 1;
        sweep_ends(u, start, frontiers(radix_[u], u), nodes);
      }
    for (size_t combo = 1; combo < combos_; ++combo)
      for (int t = 0; t < count_; ++t) {
        const uint64_t* from = frontiers(combo, t);
        if (has(from, n_) && types_.to_sink[t].seconds(problem_.chain.blocks.back().cut_bytes) <= period)
          return true;
        if (stages_of_[combo] >= space_.max_stages)
          continue;
        for (int u = 0; u < count_; ++u) {
          if (used(combo, u) == static_cast<int>(types_.members[u].size()))
            continue;
          bool any             = false;
          const uint64_t* cuts = &cut_fits_[(t * count_ + u) * words_];
          for (size_t w = 0; w < words_; ++w)
            any |= (start[w] = from[w] & cuts[w]) != 0;
          if (any)
            sweep_ends(u, start, frontiers(combo + radix_[u], u), nodes);
        }
      }
    return false;
  }

  // Among placements whose every stage and transfer takes at most `cap`, the one of lowest latency (then fewest
  // stages); empty if none.
  Placement fastest_within(double cap, long long& nodes)
  {
    cap_ = cap;
    value_.assign(states(), infinity);
    previous_first_.assign(states(), -1);
    previous_type_.assign(states(), -1);
    best_ = {infinity, 0, 0, 0, -1};
    for (int u = 0; u < count_; ++u) {
      const double input = types_.from_source[u].seconds(problem_.chain.input_bytes);
      if (!types_.members[u].empty() && input <= cap)
        extend(0, 0, -1, u, input, nodes);
    }
    for (int f = 1; f < n_; ++f)
      for (size_t combo = 1; combo < combos_; ++combo) {
        if (stages_of_[combo] >= space_.max_stages)
          continue;
        for (int t = 0; t < count_; ++t) {
          const double so_far = value_[index(f, combo, t)];
          if (so_far == infinity)
            continue;
          for (int u = 0; u < count_; ++u) {
            const double transfer = types_.between[t][u].seconds(bytes_into(f));
            if (used(combo, u) < static_cast<int>(types_.members[u].size()) && transfer <= cap)
              extend(f, combo, t, u, so_far + transfer, nodes);
          }
        }
      }
    return best_.type < 0 ? Placement{} : walk_back();
  }

private:
  struct Final {
    double latency;
    int stages;
    int first;
    size_t combo;
    int type; // -1: none found
    int previous_type = -1;
  };

  int used(size_t combo, int t) const { return static_cast<int>(combo / radix_[t] % (types_.members[t].size() + 1)); }
  size_t index(int f, size_t combo, int t) const { return (static_cast<size_t>(f) * combos_ + combo) * count_ + t; }
  double bytes_into(int f) const { return problem_.chain.input_bytes_of(f); }
  int slot_of(int t) const { return types_.members[t].front(); } // every member computes alike
  double compute(int t, int first, int last) const
  {
    return space_.stage_seconds(slot_of(t), space_.default_threads(slot_of(t)), first, last);
  }
  bool fits(int t, int first, int last) const
  {
    const double capacity = space_.memory_capacity(slot_of(t));
    return capacity <= 0 || space_.stage_memory(first, last) <= capacity;
  }
  static bool has(const uint64_t* bits, int i) { return bits[i / 64] >> (i % 64) & 1; }
  static void set(uint64_t* bits, int i) { bits[i / 64] |= uint64_t{1} << (i % 64); }
  uint64_t* frontiers(size_t combo, int t) { return &reach_[(combo * count_ + t) * words_]; }

  // Per type, the last block a stage starting at each block may end on within the period (compute only; first - 1
  // when none); per pair of types, the frontiers whose incoming cut fits in the period.
  void prepare(double period)
  {
    last_within_.assign(count_, std::vector<int>(n_));
    for (int t = 0; t < count_; ++t)
      for (int first = 0, last = -1; first < n_; ++first) {
        last = std::max(last, first - 1);
        while (last + 1 < n_ && compute(t, first, last + 1) <= period)
          ++last;
        last_within_[t][first] = last;
      }
    cut_fits_.assign(count_ * count_ * words_, 0);
    for (int t = 0; t < count_; ++t)
      for (int u = 0; u < count_; ++u)
        for (int f = 1; f < n_; ++f)
          if (types_.between[t][u].seconds(bytes_into(f)) <= period)
            set(&cut_fits_[(t * count_ + u) * words_], f);
  }

  // The frontiers a stage on type u reaches from the `start` frontiers (at least one) (compute within the period,
  // memory fitting): starts enter a window as the sweep passes them and leave once they cannot reach it (the reach
  // grows with the start, so they leave in order); of the window, the start with the most `behind_` leaves the stage
  // the least memory to hold, so it decides, and a start with less than a later one never decides.
  void sweep_ends(int u, const std::vector<uint64_t>& start, uint64_t* out, long long& nodes)
  {
    const auto& last_within = last_within_[u];
    window_.resize(n_);
    size_t head = 0, tail = 0;
    // From the first start to the reach of the last one.
    size_t low = 0, high = words_ - 1;
    while (start[low] == 0)
      ++low;
    while (start[high] == 0)
      --high;
    const int first_start = static_cast<int>(64 * low) + std::countr_zero(start[low]);
    const int last_start  = static_cast<int>(64 * high) + 63 - std::countl_zero(start[high]);
    for (int last = first_start; last <= last_within[last_start]; ++last) {
      ++nodes;
      if (has(start.data(), last)) {
        while (tail > head && behind_[window_[tail - 1]] <= behind_[last])
          --tail;
        window_[tail++] = last;
      }
      while (head < tail && last_within[window_[head]] < last)
        ++head;
      if (head < tail && fits(u, window_[head], last))
        set(out, last + 1);
    }
  }

  void extend(int first, size_t combo, int type, int u, double so_far, long long& nodes)
  {
    const size_t next_combo = combo + radix_[u];
    for (int last = first; last < n_; ++last) {
      ++nodes;
      const double seconds = compute(u, first, last);
      if (seconds > cap_)
        break;
      if (!fits(u, first, last))
        continue;
      const double reached = so_far + seconds;
      if (last == n_ - 1) {
        const double output = types_.to_sink[u].seconds(problem_.chain.blocks.back().cut_bytes);
        const Final final{reached + output, stages_of_[next_combo], first, next_combo, u, type};
        if (output <= cap_ &&
            (final.latency < best_.latency || (final.latency == best_.latency && final.stages < best_.stages)))
          best_ = final;
        continue;
      }
      const size_t at = index(last + 1, next_combo, u);
      if (reached < value_[at]) {
        value_[at]          = reached;
        previous_first_[at] = first;
        previous_type_[at]  = type;
      }
    }
  }

  // The placement of the best final state: the k-th stage on a type runs on its k-th member.
  Placement walk_back() const
  {
    Placement placement;
    int first = best_.first, end = n_ - 1, type = best_.type, before = best_.previous_type;
    size_t combo = best_.combo;
    while (true) {
      const int slot = types_.members[type][used(combo, type) - 1];
      placement.stages.insert(placement.stages.begin(),
                              Stage{space_.host(slot), first, end, space_.default_threads(slot)});
      if (first == 0)
        break;
      combo -= radix_[type];
      const size_t at = index(first, combo, before);
      end             = first - 1;
      type            = before;
      first           = previous_first_[at];
      before          = previous_type_[at];
    }
    return placement;
  }

  const SearchSpace& space_;
  const Problem& problem_;
  DeviceTypes types_;
  int n_ = 0, count_ = 0;
  std::vector<size_t> radix_; // mixed-radix index of the devices used per type
  size_t combos_ = 0, words_ = 0;
  std::vector<int> stages_of_; // per combination, its number of stages
  // Feasibility pass.
  std::vector<std::vector<int>> last_within_;
  std::vector<uint64_t> cut_fits_, reach_; // bitsets over frontiers 0..n
  std::vector<int> window_;
  std::vector<double> behind_; // per first block: the weights before it, less its input buffers
  // Latency pass.
  double cap_ = infinity;
  std::vector<double> value_;
  std::vector<int> previous_first_, previous_type_;
  Final best_{infinity, 0, 0, 0, -1};
};

} // namespace

std::string type_dp_exactness(const SearchSpace& space)
{
  if (std::string reason = dp_exactness(space); !reason.empty())
    return reason;
  if (std::string reason = slower_on_every_core(space); !reason.empty())
    return reason;
  return device_types(space).reason;
}

bool prefer_type_dp(const SearchSpace& space)
{
  // The DP over classes' states: (blocks + 1) x the combinations of devices used per class x (classes + 1).
  std::vector<size_t> class_sizes(space.class_count());
  for (int slot = 0; slot < space.slots; ++slot)
    ++class_sizes[space.symmetry_class(slot)];
  double states = (space.blocks + 1.0) * (space.class_count() + 1);
  for (size_t size : class_sizes)
    states *= static_cast<double>(size + 1);
  return states >= 10'000 && type_dp_exactness(space).empty();
}

SearchStats type_dynamic_programming(const SearchSpace& space, Incumbent& incumbent)
{
  SearchStats stats;
  std::string reason = dp_exactness(space);
  if (reason.empty())
    reason = slower_on_every_core(space);
  DeviceTypes types = reason.empty() ? device_types(space) : DeviceTypes{};
  if (reason.empty())
    reason = types.reason;
  if (!reason.empty()) {
    stats.exhausted = false;
    stats.note      = "the DP over device types does not apply: " + reason;
    return stats;
  }
  TypeDynamicProgram program(space, std::move(types));
  if (program.states() > state_limit) {
    stats.exhausted = false;
    stats.note      = fmt::format("the DP over device types has too many states (over {})", state_limit);
    return stats;
  }
  const std::vector<double> candidates = program.candidate_periods();
  size_t low = 0, high = candidates.size(); // the optimum is candidates[high] once low == high
  while (low < high) {
    const size_t middle = (low + high) / 2;
    if (program.feasible(candidates[middle], stats.nodes))
      high = middle;
    else
      low = middle + 1;
  }
  if (high == candidates.size())
    return stats; // no placement meets the constraints
  Placement placement = program.fastest_within(candidates[high] * (1 + tie_tolerance), stats.nodes);
  if (placement.stages.empty()) { // cannot happen: the period's feasibility pass found one
    stats.exhausted = false;
    stats.note      = "the DP over device types lost its placement";
    return stats;
  }
  Prediction prediction = evaluate_placement(space.problem, placement);
  // A floor no placement escapes (a camera's period) may lift the period above the slowest stage or transfer: then
  // every placement whose stages and transfers stay under it ties, and the fastest of those wins.
  if (prediction.period_s > candidates[high] * (1 + tie_tolerance)) {
    Placement under_floor = program.fastest_within(prediction.period_s * (1 + tie_tolerance), stats.nodes);
    if (!under_floor.stages.empty()) {
      placement  = under_floor;
      prediction = evaluate_placement(space.problem, placement);
    }
  }
  incumbent.offer(placement, prediction, "typedp");
  return stats;
}

} // namespace pipesplit::solver
