#include "solver/capped_latency.hpp"
#include "solver/partial_placement.hpp"
#include "solver/search_algorithms.hpp"
#include "solver/suffix_bounds.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>

namespace pipesplit::solver {

SearchBudget::SearchBudget(const SolveOptions& options)
    : options_(options), start_(std::chrono::steady_clock::now()),
      deadline_(start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(options.time_limit_s))),
      next_report_(start_ + std::chrono::milliseconds(500)), has_deadline_(options.time_limit_s > 0),
      node_limit_(options.node_limit)
{}

void SearchBudget::watch(const Incumbent* incumbent, std::function<double()> bound)
{
  incumbent_ = incumbent;
  bound_     = std::move(bound);
}

bool SearchBudget::exceeded(long long nodes)
{
  if (exceeded_)
    return true;
  if (node_limit_ > 0 && nodes >= node_limit_)
    exceeded_ = true;
  else if ((has_deadline_ || options_.progress) && nodes % 4096 == 0) {
    const auto now = std::chrono::steady_clock::now();
    exceeded_      = has_deadline_ && now > deadline_;
    if (options_.progress && incumbent_ && incumbent_->found && now > next_report_) {
      next_report_           = now + std::chrono::milliseconds(500);
      const double incumbent = incumbent_->prediction.period_s;
      options_.progress(SolveProgress{incumbent, std::min(incumbent, bound_()), nodes,
                                      std::chrono::duration<double>(now - start_).count()});
    }
  }
  return exceeded_;
}

namespace {

// May `slot` host the next stage? Not the previous stage's device; without reuse, not a used one; and of
// interchangeable devices, only the first unused one may be opened.
bool may_open(const SearchSpace& space, const PartialPlacement& partial, int slot, bool break_symmetry)
{
  if (slot == partial.last_slot())
    return false;
  if (partial.used(slot))
    return space.problem.deployment.device_reuse;
  if (break_symmetry)
    for (int other = 0; other < slot; ++other)
      if (!partial.used(other) && space.symmetry_class(other) == space.symmetry_class(slot))
        return false;
  return true;
}

void offer_complete(const SearchSpace& space, const PartialPlacement& partial, Incumbent& incumbent,
                    const std::string& origin)
{
  if (!incumbent.may_improve(partial.period(), partial.latency_floor(), partial.stage_count()))
    return;
  Placement placement         = partial.placement();
  const Prediction prediction = evaluate_placement(space.problem, placement);
  incumbent.offer(placement, prediction, origin);
}

// What a search is after. Exact: the objective (period, then latency, then fewer stages). The two passes of
// period_then_ties(): PeriodOnly proves the least period and prunes every tie on it; Ties then searches the
// objective again, knowing that no placement's period is lower: only the placements within that period matter.
enum class Pass { Exact, PeriodOnly, Ties };

// Without reuse, and when no two transfers of a placement share a link, what a partial placement's completions
// cost depends only on (blocks placed, devices used, last device): of two partial placements with the same
// signature, the one with a higher period, latency and stage count cannot lead anywhere better.
bool dominance_applies(const SearchSpace& space, bool independent_transfers)
{
  return !space.problem.deployment.device_reuse && space.slots <= 64 && independent_transfers;
}

class DepthFirstSearch {
public:
  // `proven_period_s`: for Pass::Ties, the least period (every placement's period is at least it, up to the tie
  // tolerance).
  DepthFirstSearch(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent,
                   bool independent_transfers, Pass pass = Pass::Exact, double proven_period_s = 0)
      : space_(space), bounds_(space), budget_(options), incumbent_(incumbent), partial_(space), pass_(pass),
        proven_period_(proven_period_s), tie_cap_(proven_period_s * (1 + 2 * tie_tolerance))
  {
    use_dominance_ = dominance_applies(space, independent_transfers);
    if (pass == Pass::Ties)
      capped_latency_.emplace(space, tie_cap_);
  }

  SearchStats run()
  {
    const double root = pass_ == Pass::Ties ? proven_period_ : bounds_.root_period();
    budget_.watch(&incumbent_, [this, root] { return std::max(root, open_bound()); });
    expand(root);
    stats_.exhausted = !stopped_;
    if (stopped_)
      stats_.unexplored_bound_s = stopped_bound_;
    return stats_;
  }

private:
  struct Child {
    int slot, last;
    double period_floor, latency_floor;
  };
  struct Signature {
    uint64_t used;
    int next_block, last_slot;
    bool operator==(const Signature&) const = default;
  };
  struct SignatureHash {
    size_t operator()(const Signature& s) const
    {
      return std::hash<uint64_t>()(s.used * 0x9E3779B97F4A7C15ULL ^
                                   (uint64_t(s.next_block) << 32 | uint32_t(s.last_slot)));
    }
  };
  struct Reached {
    double period, latency;
    int stages;
  };
  static constexpr size_t dominance_limit = 4'000'000; // entries, about 200 MB at most

  // Could a completion with these floors matter to this pass? PeriodOnly: only a lower period does. Ties: only a
  // period within the proven one.
  bool may_improve(double period_floor, double latency_floor, size_t stages) const
  {
    if (pass_ == Pass::PeriodOnly)
      return !incumbent_.found || period_floor < incumbent_.prediction.period_s * (1 - tie_tolerance);
    if (pass_ == Pass::Ties && period_floor > tie_cap_)
      return false;
    return incumbent_.may_improve(period_floor, latency_floor, stages);
  }

  // The period no load of a placement that matters may exceed, if there is one yet (infinity otherwise).
  double load_cap() const
  {
    const double cap = incumbent_.bounded() ? incumbent_.period_bound() * (1 + tie_tolerance)
                                            : std::numeric_limits<double>::infinity();
    return pass_ == Pass::Ties ? std::min(cap, tie_cap_) : cap;
  }

  // Has a partial placement with the same signature and no higher period, latency and stage count been seen?
  // Records this one otherwise. PeriodOnly compares periods alone (latency does not matter to it); Ties compares
  // latency and stages alone: every partial placement it keeps is within the proven period, so any completion
  // that ties it ties from the other one too.
  bool dominated()
  {
    if (!use_dominance_)
      return false;
    Signature signature{0, partial_.next_block(), partial_.last_slot()};
    for (int s = 0; s < space_.slots; ++s)
      if (partial_.used(s))
        signature.used |= uint64_t{1} << s;
    const Reached here{pass_ == Pass::Ties ? 0.0 : partial_.period(),
                       pass_ == Pass::PeriodOnly ? 0.0 : partial_.latency_floor(),
                       pass_ == Pass::PeriodOnly ? 0 : partial_.stage_count()};
    auto it = seen_.find(signature);
    if (it != seen_.end()) {
      const Reached& best = it->second;
      if (here.period >= best.period && here.latency >= best.latency && here.stages >= best.stages)
        return true;
      if (here.period <= best.period && here.latency <= best.latency && here.stages <= best.stages)
        it->second = here;
      return false;
    }
    if (seen_.size() < dominance_limit)
      seen_.emplace(signature, here);
    return false;
  }

  // The least period floor of the subtrees not yet searched: each open level's next child, and the level being
  // generated (its own floor).
  double open_bound() const
  {
    double bound = std::numeric_limits<double>::infinity();
    for (double floor : pending_)
      bound = std::min(bound, floor);
    return bound;
  }

  // Is the budget spent? When it first is, what is left unsearched is bounded by open_bound().
  bool out_of_budget()
  {
    if (!budget_.exceeded(++stats_.nodes))
      return false;
    if (!stopped_) {
      stopped_       = true;
      stopped_bound_ = open_bound();
    }
    return true;
  }

  // Search every completion of the partial placement, whose period is at least `floor`.
  void expand(double floor)
  {
    pending_.push_back(floor);
    expand_children();
    pending_.pop_back();
  }

  // The partial placement just extended by a stage on `slot` ending at `last`, as a child to search if it may
  // matter: its floors may beat the incumbent, no partial placement seen dominates it, and the incumbent's period
  // may cover its remaining blocks. The cheap latency floor first (it decides most children of Pass::Ties).
  std::optional<Child> worth_searching(int slot, int last)
  {
    const double latency_floor = capped_latency_
                                     ? partial_.latency_floor() + capped_latency_->suffix(partial_.next_block(), slot)
                                     : bounds_.latency(partial_);
    const size_t stages        = partial_.stage_count() + 1;
    if (!may_improve(partial_.period(), latency_floor, stages))
      return std::nullopt;
    const double period_floor = bounds_.period(partial_);
    if (!may_improve(period_floor, latency_floor, stages) || dominated() ||
        (load_cap() < std::numeric_limits<double>::infinity() && !bounds_.can_finish_within(partial_, load_cap())))
      return std::nullopt;
    return Child{slot, last, period_floor, latency_floor};
  }

  void expand_children()
  {
    const int first = partial_.next_block();
    const int n     = space_.blocks;
    // The last stage allowed must take every remaining block.
    const int shortest_end = partial_.stage_count() + 1 == space_.max_stages ? n - 1 : first;
    std::vector<Child> children;
    // Where each device's stage may end at the earliest: at the cap when the search starts this level (the cap only
    // falls while it runs, so these stay valid).
    if (const double cap = load_cap(); cap < std::numeric_limits<double>::infinity())
      bounds_.earliest_ends(partial_, cap, ends_);
    else
      ends_.assign(space_.slots, first);
    for (int slot = 0; slot < space_.slots; ++slot) {
      if (!may_open(space_, partial_, slot, true))
        continue;
      const double capacity = space_.memory_capacity(slot);
      for (int last = std::max(shortest_end, ends_[slot]); last < n; ++last) {
        if (out_of_budget())
          return;
        if (!partial_.push(slot, last, space_.default_threads(slot))) {
          if (capacity > 0 && space_.weights(first, last) > capacity)
            break; // weights only grow with the stage
          continue;
        }
        const double device_load = partial_.last_device_load();
        if (partial_.complete()) {
          offer_complete(space_, partial_, incumbent_, "bnb");
        } else if (const auto child = worth_searching(slot, last)) {
          children.push_back(*child);
        }
        partial_.pop();
        if (!may_improve(device_load, 0, 0))
          break; // the device's load only grows with the stage
      }
    }
    // Best first; on equal bounds, the longer stage (fewer cuts) first.
    // Pass::Ties: every child is within the proven period, the lowest latency floor first.
    const bool by_latency = pass_ == Pass::Ties;
    std::sort(children.begin(), children.end(), [by_latency](const Child& a, const Child& b) {
      const double x = by_latency ? a.latency_floor : a.period_floor;
      const double y = by_latency ? b.latency_floor : b.period_floor;
      return x != y ? x < y : a.last > b.last;
    });
    for (size_t i = 0; i < children.size(); ++i) {
      const Child& child = children[i];
      pending_.back() =
          i + 1 < children.size() ? children[i + 1].period_floor : std::numeric_limits<double>::infinity();
      if (!may_improve(child.period_floor, child.latency_floor, partial_.stage_count() + 2))
        continue;
      partial_.push(child.slot, child.last, space_.default_threads(child.slot));
      expand(child.period_floor);
      partial_.pop();
      if (stopped_)
        return;
    }
  }

  const SearchSpace& space_;
  SuffixBounds bounds_;
  SearchBudget budget_;
  Incumbent& incumbent_;
  PartialPlacement partial_;
  SearchStats stats_;
  bool use_dominance_ = false;
  Pass pass_;
  double proven_period_;                        // Ties: no placement has a lower period
  double tie_cap_;                              // Ties: the proven period, with the tie tolerance
  std::optional<CappedLatency> capped_latency_; // Ties: the latency floor of the placements within the period
  std::vector<double> pending_;                 // per level being searched: the floor of what it has left
  std::vector<int> ends_;                       // scratch of the level being generated: earliest stage end per slot
  bool stopped_         = false;
  double stopped_bound_ = 0;
  std::unordered_map<Signature, Reached, SignatureHash> seen_;
};

// With the dominance test, ties on the period are searched apart: a single pass compares (period, latency,
// stages) and keeps nearly every partial placement within the period (one has the lower period, the other the
// lower latency), so on 16 devices it spent seconds breaking latency ties after proving the period in
// milliseconds. First the period alone; then the whole objective from that pass's placement, where only
// placements within the proven period matter: the dominance test compares latency and stages alone, the latency
// floor counts the transfers that the period forces (CappedLatency), and children go lowest latency floor first.
// Placements that tie exactly (period, latency and stages) may come out otherwise than from one pass: each
// returns the first it finds. One time limit covers both passes; a stopped second pass has proven the period.
SearchStats period_then_ties(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent)
{
  const auto start         = std::chrono::steady_clock::now();
  const SearchStats period = DepthFirstSearch(space, options, incumbent, true, Pass::PeriodOnly).run();
  if (!period.exhausted || !incumbent.found)
    return period;
  const double proven = incumbent.prediction.period_s; // the second pass starts from its placement
  SolveOptions rest   = with_time_left(options, start);
  if (options.node_limit > 0)
    rest.node_limit = std::max(1LL, options.node_limit - period.nodes);
  SearchStats ties = DepthFirstSearch(space, rest, incumbent, true, Pass::Ties, proven).run();
  ties.nodes += period.nodes;
  if (!ties.exhausted)
    ties.unexplored_bound_s = proven;
  return ties;
}

} // namespace

SearchStats branch_and_bound(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent,
                             bool independent_transfers, bool split_ties)
{
  if (split_ties && dominance_applies(space, independent_transfers) && incumbent.gap == 0 &&
      incumbent.collect_below_s == 0)
    return period_then_ties(space, options, incumbent);
  return DepthFirstSearch(space, options, incumbent, independent_transfers).run();
}

SearchStats transfer_only_branch_and_bound(const SearchSpace& space, const SolveOptions& options, Incumbent& incumbent)
{
  struct Step {
    int slot, last;
  };
  SearchStats stats;
  SearchBudget budget(options);
  PartialPlacement partial(space);
  std::deque<std::vector<Step>> queue{{}};
  while (!queue.empty()) {
    const std::vector<Step> prefix = std::move(queue.front());
    queue.pop_front();
    for (const Step& step : prefix)
      partial.push(step.slot, step.last, space.default_threads(step.slot));
    const int first        = partial.next_block();
    const int shortest_end = partial.stage_count() + 1 == space.max_stages ? space.blocks - 1 : first;
    for (int slot = 0; slot < space.slots; ++slot) {
      if (!may_open(space, partial, slot, false))
        continue;
      for (int last = shortest_end; last < space.blocks; ++last) {
        if (budget.exceeded(++stats.nodes)) {
          stats.exhausted = false;
          stats.note      = "stopped at the time or node limit";
          return stats;
        }
        if (!partial.push(slot, last, space.default_threads(slot)))
          continue;
        if (partial.complete()) {
          offer_complete(space, partial, incumbent, "bnb/transfer-only");
        } else if (!incumbent.found || partial.transfer_period() < incumbent.prediction.period_s) {
          auto child = prefix;
          child.push_back(Step{slot, last});
          queue.push_back(std::move(child));
        }
        partial.pop();
      }
    }
    for (size_t i = 0; i < prefix.size(); ++i)
      partial.pop();
  }
  return stats;
}

} // namespace pipesplit::solver
