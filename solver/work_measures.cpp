#include "solver/work_measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pipesplit::solver {

namespace {

constexpr double infinity  = std::numeric_limits<double>::infinity();
constexpr double tolerance = 1e-9; // as objective.cpp compares figures
// Sums of subsets within a relative 1e-12 of each other count as one (the largest kept): float rounding only.
constexpr double same_sum = 1e-12;
// Chains with few distinct block sizes stay far below (50 blocks of two sizes: at most 26 x 26 sums).
constexpr size_t max_subset_sums = 1 << 14;

// Are the two weightings the same up to a factor (relative 1e-12)?
bool proportional(const std::vector<double>& a, const std::vector<double>& b)
{
  double sum_a = 0, sum_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sum_a += a[i];
    sum_b += b[i];
  }
  if (!(sum_a > 0) || !(sum_b > 0))
    return sum_a == sum_b;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] / sum_a - b[i] / sum_b) > 1e-12 * (a[i] / sum_a + b[i] / sum_b))
      return false;
  return true;
}

} // namespace

std::vector<std::vector<double>> suffix_subset_sums(const std::vector<double>& unit, size_t max_sums)
{
  std::vector<std::vector<double>> sums(unit.size() + 1);
  sums[unit.size()] = {0};
  for (size_t b = unit.size(); b-- > 0;) {
    const std::vector<double>& later = sums[b + 1];
    std::vector<double> merged(later.size() * 2);
    std::copy(later.begin(), later.end(), merged.begin());
    std::transform(later.begin(), later.end(), merged.begin() + static_cast<long>(later.size()),
                   [&](double s) { return s + unit[b]; });
    std::inplace_merge(merged.begin(), merged.begin() + static_cast<long>(later.size()), merged.end());
    std::vector<double>& out = sums[b];
    double anchor            = -1;
    for (double s : merged)
      if (!out.empty() && s <= anchor * (1 + same_sum))
        out.back() = s; // sorted: the largest of the run
      else
        out.push_back(anchor = s);
    if (out.size() > max_sums) {
      out.clear();
      break;
    }
  }
  return sums;
}

WorkMeasure::WorkMeasure(std::vector<double> unit, const std::vector<std::vector<double>>& least)
    : unit_(std::move(unit)), suffix_(unit_.size() + 1, 0), ratio_(least.size(), 0)
{
  for (size_t b = unit_.size(); b-- > 0;)
    suffix_[b] = suffix_[b + 1] + unit_[b];
  subset_sums_ = suffix_subset_sums(unit_, max_subset_sums);
  for (size_t slot = 0; slot < least.size(); ++slot) {
    for (size_t b = 0; b < unit_.size(); ++b)
      if (unit_[b] > 0) // a block without weight asks nothing; one without load weighs infinitely much
        ratio_[slot] = std::max(ratio_[slot], least[slot][b] > 0 ? unit_[b] / least[slot][b] : infinity);
    by_ratio_.push_back(static_cast<int>(slot));
  }
  std::stable_sort(by_ratio_.begin(), by_ratio_.end(), [&](int a, int b) { return ratio_[a] > ratio_[b]; });
}

double WorkMeasure::whole_blocks(int next, double capacity) const
{
  const std::vector<double>& sums = subset_sums_[next];
  if (sums.empty() || capacity >= suffix_[next]) // room for the whole rest: nothing to round
    return capacity;
  const auto above_capacity = std::upper_bound(sums.begin(), sums.end(), capacity * (1 + tolerance) + 1e-300);
  return *(above_capacity - 1); // sums[0] == 0
}

std::vector<std::vector<double>> least_loads(const SearchSpace& space)
{
  std::vector<std::vector<double>> least(space.slots, std::vector<double>(space.blocks));
  for (int slot = 0; slot < space.slots; ++slot) {
    const int threads = space.min_threads(slot);
    for (int b = 0; b < space.blocks; ++b)
      least[slot][b] = threads * space.stage_seconds(slot, threads, b, b) / space.cores(slot);
  }
  return least;
}

std::vector<WorkMeasure> work_measures(const SearchSpace& space)
{
  const std::vector<std::vector<double>> least = least_loads(space);
  std::vector<std::vector<double>> units(1, std::vector<double>(space.blocks, infinity));
  for (int b = 0; b < space.blocks; ++b)
    for (int slot = 0; slot < space.slots; ++slot)
      units[0][b] = std::min(units[0][b], least[slot][b]);
  for (const auto& own : least)
    if (std::none_of(units.begin(), units.end(), [&](const auto& unit) { return proportional(unit, own); }))
      units.push_back(own);
  std::vector<WorkMeasure> measures;
  for (auto& unit : units)
    measures.emplace_back(std::move(unit), least);
  return measures;
}

} // namespace pipesplit::solver
