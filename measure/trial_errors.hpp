#pragma once
// How far the cost model is from one or several hardware trials (`pipesplit validate`): per kind of figure (stage
// compute times, transfer times, throughput, latency) and over every figure, the mean absolute relative error and
// the worst one, with the figure (and trial) it came from. Relative error = (predicted - measured) / measured.

#include "measure/layer.hpp"
#include "measure/trial.hpp"

#include <string>
#include <vector>

namespace pipesplit::measure {

// One trial's comparison rows, named by its file.
struct TrialComparison {
  std::string trial;
  std::vector<Comparison> rows;
};

struct ErrorSummary {
  std::string kind;         // "stage", "transfer", "throughput", "latency", or "all"
  size_t figures       = 0; // how many figures were pooled
  double mean_absolute = 0; // mean of |relative error|
  double worst         = 0; // the largest |relative error|
  std::string worst_figure; // where it was: "stage 0 (pi0) compute"
  std::string worst_trial;  // and in which trial
};

// Per kind present (in the order stage, transfer, throughput, latency), then "all": every row of every trial pooled,
// each figure weighing the same. Kinds without figures are left out; "all" is always there (0 figures: zeros).
std::vector<ErrorSummary> summarize_errors(const std::vector<TrialComparison>& trials);

} // namespace pipesplit::measure
