#include "measure/trial_errors.hpp"

#include <cmath>

namespace pipesplit::measure {

namespace {

ErrorSummary summarize(const std::vector<TrialComparison>& trials, const std::string& kind)
{
  ErrorSummary summary;
  summary.kind = kind;
  double sum   = 0;
  for (const auto& trial : trials)
    for (const auto& row : trial.rows) {
      if (kind != "all" && row.kind != kind)
        continue;
      const double error = std::abs(row.relative_error());
      sum += error;
      ++summary.figures;
      if (summary.figures == 1 || error > summary.worst) {
        summary.worst        = error;
        summary.worst_figure = row.figure;
        summary.worst_trial  = trial.trial;
      }
    }
  summary.mean_absolute = summary.figures ? sum / static_cast<double>(summary.figures) : 0;
  return summary;
}

} // namespace

std::vector<ErrorSummary> summarize_errors(const std::vector<TrialComparison>& trials)
{
  std::vector<ErrorSummary> out;
  for (const std::string kind : {"stage", "transfer", "throughput", "latency"})
    if (const auto summary = summarize(trials, kind); summary.figures > 0)
      out.push_back(summary);
  out.push_back(summarize(trials, "all"));
  return out;
}

} // namespace pipesplit::measure
