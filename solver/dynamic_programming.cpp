// Dynamic programming for contiguous stages on distinct devices. The state is (blocks placed, how many devices of
// each symmetry class are used, class of the last stage's device): interchangeable devices are used in index order,
// so the last device is known from its class and count, and every route between classes costs the same whichever
// members it joins. The value is the smallest bottleneck so far. With distinct devices each device's load is its
// one stage's compute time, and when no two transfers of a placement can share a link, each transfer's load is its
// own sender time: the period is then a max over stages and transfers, which the DP minimises exactly.

#include "solver/search_algorithms.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace pipesplit::solver {

namespace {

constexpr double infinity    = std::numeric_limits<double>::infinity();
constexpr size_t state_limit = 4'000'000;

// One DP pass. Bottleneck: minimise the largest stage or transfer time. Latency: minimise the sum of stage and
// transfer times (then the number of stages) among placements whose every stage and transfer takes at most `cap`;
// run after the bottleneck pass with its optimum as the cap, it breaks the period's ties exactly as the other
// solvers do.
class DynamicProgram {
public:
  enum class Objective { Bottleneck, Latency };

  explicit DynamicProgram(const SearchSpace& space) : space_(space), problem_(space.problem)
  {
    classes_ = space.class_count();
    members_.resize(classes_);
    for (int s = 0; s < space.slots; ++s)
      members_[space.symmetry_class(s)].push_back(s);
    radix_.assign(classes_ + 1, 1);
    lasts_ = classes_ + 1; // class of the last device, or `classes_` before the first stage
    for (int c = 0; c < classes_; ++c) {
      if (radix_[c] > state_limit) { // many distinct devices: 2^classes would overflow
        states_ = std::numeric_limits<size_t>::max();
        return;
      }
      radix_[c + 1] = radix_[c] * (members_[c].size() + 1);
    }
    combos_ = radix_[classes_];
    states_ = combos_ > state_limit ? std::numeric_limits<size_t>::max()
                                    : static_cast<size_t>(space.blocks + 1) * combos_ * lasts_;
  }

  size_t states() const { return states_; }

  // The best placement under the objective, or an empty one if none meets the constraints.
  Placement run(Objective objective, double cap, long long& nodes)
  {
    const int n = space_.blocks;
    value_.assign(states_, Cost{infinity, 0});
    previous_k_.assign(states_, -1);
    previous_last_.assign(states_, -1);
    value_[index(0, 0, classes_)] = Cost{0, 0};
    Cost best{infinity, 0};
    size_t best_combo = 0, best_last = 0, best_previous_last = 0;
    int best_first        = -1;
    const bool bottleneck = objective == Objective::Bottleneck;
    auto combine          = [&](Cost so_far, double time) {
      return bottleneck ? Cost{std::max(so_far.value, time), so_far.stages} : Cost{so_far.value + time, so_far.stages};
    };
    for (int k = 0; k < n; ++k)
      for (size_t combo = 0; combo < combos_; ++combo)
        for (size_t last = 0; last < lasts_; ++last) {
          const Cost so_far = value_[index(k, combo, last)];
          if (so_far.value == infinity || so_far.stages >= space_.max_stages)
            continue;
          const int from_host = last == static_cast<size_t>(classes_)
                                    ? (problem_.source ? *problem_.source : -1)
                                    : space_.host(members_[last][count_of(combo, static_cast<int>(last)) - 1]);
          const double bytes  = k == 0 ? problem_.chain.input_bytes : problem_.chain.blocks[k - 1].cut_bytes;
          for (int c = 0; c < classes_; ++c) {
            const int used = count_of(combo, c);
            if (used == static_cast<int>(members_[c].size()))
              continue;
            const int slot = members_[c][used];
            const int host = space_.host(slot);
            const double transfer =
                from_host < 0 || from_host == host ? 0 : space_.path(from_host, host).seconds(bytes);
            if (transfer > cap)
              continue;
            Cost entry = combine(so_far, transfer);
            ++entry.stages;
            const double capacity  = space_.memory_capacity(slot);
            const int shortest_end = so_far.stages + 1 == space_.max_stages ? n - 1 : k;
            for (int j = shortest_end; j < n; ++j) {
              ++nodes;
              const double compute = space_.stage_seconds(slot, space_.default_threads(slot), k, j);
              if (compute > cap || (bottleneck && std::max(entry.value, compute) >= best.value))
                break; // compute only grows with the stage
              if (capacity > 0 && space_.stage_memory(k, j) > capacity)
                continue;
              const Cost reached = combine(entry, compute);
              if (j == n - 1) {
                const double output =
                    problem_.sink && *problem_.sink != host
                        ? space_.path(host, *problem_.sink).seconds(problem_.chain.blocks.back().cut_bytes)
                        : 0;
                const Cost final = combine(reached, output);
                if (output <= cap && final < best) {
                  best               = final;
                  best_combo         = combo + radix_[c];
                  best_last          = static_cast<size_t>(c);
                  best_first         = k;
                  best_previous_last = last;
                }
                continue;
              }
              const size_t next = index(j + 1, combo + radix_[c], static_cast<size_t>(c));
              if (reached < value_[next]) {
                value_[next]         = reached;
                previous_k_[next]    = k;
                previous_last_[next] = static_cast<int>(last);
              }
            }
          }
        }
    if (best_first < 0)
      return {};
    // Walk back from the final stage; the device of a stage is the newest member of its class at that point.
    Placement placement;
    int first          = best_first;
    int end            = n - 1;
    size_t combo       = best_combo;
    size_t last        = best_last;
    size_t before_last = best_previous_last;
    while (true) {
      const int c    = static_cast<int>(last);
      const int slot = members_[c][count_of(combo, c) - 1];
      placement.stages.insert(placement.stages.begin(),
                              Stage{space_.host(slot), first, end, space_.default_threads(slot)});
      if (first == 0)
        break;
      const size_t at = index(first, combo - radix_[c], before_last);
      end             = first - 1;
      combo -= radix_[c];
      last        = before_last;
      first       = previous_k_[at];
      before_last = static_cast<size_t>(previous_last_[at]);
    }
    return placement;
  }

private:
  struct Cost {
    double value;
    int stages;
    bool operator<(const Cost& other) const
    {
      return value < other.value || (value == other.value && stages < other.stages);
    }
  };

  size_t index(int k, size_t combo, size_t last) const
  {
    return (static_cast<size_t>(k) * combos_ + combo) * lasts_ + last;
  }
  int count_of(size_t combo, int c) const { return static_cast<int>(combo / radix_[c] % (members_[c].size() + 1)); }

  const SearchSpace& space_;
  const Problem& problem_;
  int classes_ = 0;
  std::vector<std::vector<int>> members_; // slots of each class, in index order
  std::vector<size_t> radix_;             // mixed-radix index of the per-class counts
  size_t combos_ = 0, lasts_ = 0, states_ = 0;
  std::vector<Cost> value_;
  std::vector<int> previous_k_;    // where the state's last stage starts
  std::vector<int> previous_last_; // class of the device before it
};

} // namespace

SearchStats dynamic_programming(const SearchSpace& space, Incumbent& incumbent)
{
  SearchStats stats;
  DynamicProgram program(space);
  if (program.states() > state_limit) {
    stats.exhausted = false;
    stats.note      = fmt::format("DP state too large (over {} states)", state_limit);
    return stats;
  }
  Placement placement = program.run(DynamicProgram::Objective::Bottleneck, infinity, stats.nodes);
  if (placement.stages.empty())
    return stats;
  Prediction prediction = evaluate_placement(space.problem, placement);
  // Second pass: among placements within the optimal period, the lowest latency (then the fewest stages).
  Placement tie_broken =
      program.run(DynamicProgram::Objective::Latency, prediction.period_s * (1 + tie_tolerance), stats.nodes);
  if (!tie_broken.stages.empty()) {
    placement  = tie_broken;
    prediction = evaluate_placement(space.problem, placement);
  }
  incumbent.offer(placement, prediction, "dp");
  return stats;
}

} // namespace pipesplit::solver
