// The comparison rows of a trial: every figure as the scenario's model predicts and simulates it, as the model
// calibrated from the measured profiles predicts and simulates it, and as measured.

#include "cli/trial_report.hpp"
#include "cost/hops.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace pipesplit::cli {

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

double predicted_transfer(const Prediction& prediction, const Hop& hop)
{
  for (const auto& t : prediction.transfers)
    if (t.from == hop.from && t.to == hop.to && t.after_block == hop.after_block)
      return t.time_s;
  return none;
}

// The figures one model gives (prediction and simulation), or NaN everywhere when the model is absent.
struct ModelFigures {
  const Prediction* p;
  const sim::ReplayResult* s;
  double period() const { return p ? p->period_s : none; }
  double throughput() const { return p ? p->throughput_ips : none; }
  double first_latency() const { return p ? p->latency_s : none; }
  double steady_latency() const { return p ? p->steady_latency_s : none; }
  double compute(size_t stage) const { return p ? p->stages[stage].compute_s : none; }
  double transfer(const Hop& hop) const { return p ? predicted_transfer(*p, hop) : none; }
  double sim(double sim::ReplayResult::*field) const { return s ? s->*field : none; }
  double dropped_share() const
  {
    return s && s->emitted ? static_cast<double>(s->dropped) / static_cast<double>(s->emitted) : none;
  }
};

ComparisonRow row(std::string figure, std::string unit, double predicted, double calibrated, double simulated,
                  double calibrated_simulated, double measured)
{
  ComparisonRow r{std::move(figure), std::move(unit), predicted, simulated, measured};
  r.calibrated           = calibrated;
  r.calibrated_simulated = calibrated_simulated;
  return r;
}

void add_stage_rows(const TrialFigures& f, const ModelFigures& own, const ModelFigures& cal,
                    std::vector<ComparisonRow>& rows)
{
  const auto& m = f.measured;
  for (size_t i = 0; i < m.compute_s.size(); ++i) {
    const auto& host = f.loaded.problem.host(f.placement.stages[i].device).name;
    rows.push_back(row(fmt::format("stage {} ({}) compute", i, host), "s", own.compute(i), cal.compute(i), none, none,
                       m.compute_s[i]));
    rows.push_back(row(fmt::format("stage {} ({}) utilisation", i, host), "share", own.compute(i) / own.period(),
                       cal.compute(i) / cal.period(), none, none, m.utilisation[i]));
  }
}

void add_hop_rows(const TrialFigures& f, const ModelFigures& own, const ModelFigures& cal,
                  std::vector<ComparisonRow>& rows)
{
  const Problem& problem = f.loaded.problem;
  const auto& m          = f.measured;
  const auto hops        = pipeline_hops(problem, f.placement);
  for (size_t h = 0; h < hops.size(); ++h)
    if (hops[h].remote()) {
      const std::string name = trial_hop_name(problem, hops[h]);
      rows.push_back(
          row("transfer " + name, "s", own.transfer(hops[h]), cal.transfer(hops[h]), none, none, m.transfer_s[h]));
      // The cut's bytes times the inputs that crossed: those the receiving stage computed (or the sink received).
      const auto crossed = h < m.computed.size() ? m.computed[h] : m.inputs;
      rows.push_back(row(fmt::format("bytes {} (whole trial)", name), "bytes",
                         hops[h].bytes * static_cast<double>(crossed), none, none, none, m.hop_bytes[h]));
    }
}

} // namespace

std::string trial_hop_name(const Problem& problem, const Hop& hop)
{
  return fmt::format("{}->{}", problem.host(hop.from).name, problem.host(hop.to).name);
}

std::string figure_text(double value)
{
  return std::isnan(value) ? "-" : fmt::format("{:.4g}", value);
}

std::string error_text(double reference, double measured)
{
  return std::isnan(reference) || std::isnan(measured)
             ? "-"
             : fmt::format("{:+.1f}%", 100 * (measured - reference) / reference);
}

std::vector<ComparisonRow> comparison_rows(const TrialFigures& f)
{
  const ModelFigures own{&f.predicted, &f.simulated};
  const ModelFigures cal{f.calibration.predicted ? &*f.calibration.predicted : nullptr,
                         f.calibration.simulated ? &*f.calibration.simulated : nullptr};
  using R       = sim::ReplayResult;
  const auto& m = f.measured;
  std::vector<ComparisonRow> rows{
      row("period", "s", own.period(), cal.period(), own.sim(&R::period_s), cal.sim(&R::period_s), m.period_s),
      row("throughput", "inferences/s", own.throughput(), cal.throughput(), own.sim(&R::throughput_ips),
          cal.sim(&R::throughput_ips), m.throughput_ips),
      row("latency, first input", "s", own.first_latency(), cal.first_latency(), own.sim(&R::first_latency_s),
          cal.sim(&R::first_latency_s), m.first_latency_s),
      row("latency, median", "s", own.steady_latency(), cal.steady_latency(), own.sim(&R::latency_p50_s),
          cal.sim(&R::latency_p50_s), m.latency_p50_s),
      row("latency, p95", "s", none, none, own.sim(&R::latency_p95_s), cal.sim(&R::latency_p95_s), m.latency_p95_s),
  };
  add_stage_rows(f, own, cal, rows);
  add_hop_rows(f, own, cal, rows);
  if (f.loaded.problem.deployment.queue_policy == QueuePolicy::DropOldest)
    rows.push_back(row("dropped inputs", "share", none, none, own.dropped_share(), cal.dropped_share(),
                       static_cast<double>(m.dropped) / static_cast<double>(m.emitted)));
  return rows;
}

} // namespace pipesplit::cli
