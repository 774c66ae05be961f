#include "cli/trial_report.hpp"
#include "analysis/timeline_plot.hpp"
#include "cli/prediction_report.hpp"
#include "cli/table.hpp"
#include "cost/hops.hpp"
#include "cost/placement.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace fs = std::filesystem;

namespace pipesplit::cli {

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

std::string hop_name(const Problem& problem, const Hop& hop)
{
  return fmt::format("{}->{}", problem.host(hop.from).name, problem.host(hop.to).name);
}

double predicted_transfer(const Prediction& prediction, const Hop& hop)
{
  for (const auto& t : prediction.transfers)
    if (t.from == hop.from && t.to == hop.to && t.after_block == hop.after_block)
      return t.time_s;
  return none;
}

std::string figure(double value)
{
  return std::isnan(value) ? "-" : fmt::format("{:.4g}", value);
}

std::string error_text(double predicted, double measured)
{
  return std::isnan(predicted) || std::isnan(measured)
             ? "-"
             : fmt::format("{:+.1f}%", 100 * (measured - predicted) / predicted);
}

void write_atomically(const fs::path& path, const std::string& text)
{
  const fs::path temporary = path.string() + ".part";
  std::ofstream out(temporary);
  out << text;
  out.close();
  if (!out)
    throw InputError(path.string(), "", "cannot write");
  fs::rename(temporary, path); // readers never see a half-written file
}

std::string trial_yaml(const TrialFigures& f)
{
  const Problem& problem = f.loaded.problem;
  const auto hops        = pipeline_hops(problem, f.placement);
  std::ostringstream out;
  out << "format: pipesplit-trial/1\n"
      << fmt::format("placement: \"{}\"\n", to_string(f.placement, problem.platform))
      << fmt::format("throughput_ips: {:.9g}\n", f.measured.throughput_ips)
      << fmt::format("latency_s: {:.9g}  # the first input, through an idle pipeline (as predicted)\n",
                     f.measured.first_latency_s)
      << "stages:\n";
  for (size_t s = 0; s < f.measured.compute_s.size(); ++s)
    out << fmt::format("  - {{stage: {}, seconds: {:.9g}}}\n", s, f.measured.compute_s[s]);
  std::string transfers;
  for (size_t h = 0; h < hops.size(); ++h)
    if (hops[h].remote())
      transfers += fmt::format("  - {{from: {}, to: {}, seconds: {:.9g}}}\n", problem.host(hops[h].from).name,
                               problem.host(hops[h].to).name, f.measured.transfer_s[h]);
  if (!transfers.empty())
    out << "transfers:\n" << transfers;
  return out.str();
}

// The measured timeline in the replay's shape, so that one plotting function draws both.
sim::ReplayResult measured_timeline(const TrialFigures& f)
{
  const Problem& problem = f.loaded.problem;
  const auto hops        = pipeline_hops(problem, f.placement);
  const auto& m          = f.measurement;
  sim::ReplayResult timeline;
  const size_t stages = m.stages.size();
  const size_t first = static_cast<size_t>(f.measured.warmup), last = std::min(m.sent_s.size(), first + 8);
  for (size_t s = 0; s <= stages; ++s) {
    const std::string hop_lane = hop_name(problem, hops[s]);
    timeline.lanes.push_back(hop_lane);
    for (size_t i = first; i < last; ++i) {
      const double sent     = s == 0 ? m.sent_s[i] : m.stages[s - 1][i].send_start;
      const double received = s == stages ? m.delivered_s[i] : m.stages[s][i].receive_end;
      timeline.timeline.push_back({hop_lane, "transfer", static_cast<long long>(i), sent, received});
    }
    if (s == stages)
      break;
    const std::string lane = fmt::format("stage {} ({})", s, problem.host(f.placement.stages[s].device).name);
    timeline.lanes.push_back(lane);
    for (size_t i = first; i < last; ++i)
      timeline.timeline.push_back(
          {lane, "compute", static_cast<long long>(i), m.stages[s][i].compute_start, m.stages[s][i].compute_end});
  }
  return timeline;
}

nlohmann::json result_json(const TrialFigures& f, const std::vector<ComparisonRow>& rows)
{
  auto comparison = nlohmann::json::array();
  for (const auto& r : rows)
    comparison.push_back({{"figure", r.figure},
                          {"unit", r.unit},
                          {"predicted", std::isnan(r.predicted) ? nlohmann::json() : nlohmann::json(r.predicted)},
                          {"simulated", std::isnan(r.simulated) ? nlohmann::json() : nlohmann::json(r.simulated)},
                          {"measured", r.measured}});
  auto stages = nlohmann::json::array();
  for (const auto& times : f.measurement.stages)
    stages.push_back(trial::to_json(times));
  return {{"scenario", f.loaded.scenario.name},
          {"placement", to_string(f.placement, f.loaded.problem.platform)},
          {"testbed", f.testbed},
          {"notes", f.notes},
          {"machine_core_flops", f.machine_core_flops},
          {"cpu_shares", f.cpu_shares},
          {"measured", trial::to_json(f.measured)},
          {"prediction", prediction_to_json(f.loaded.problem, f.loaded.model, f.predicted)},
          {"comparison", comparison},
          {"simulated", sim::to_json(f.simulated)},
          {"timestamps",
           {{"columns",
             {"input", "receive_start", "receive_end", "compute_start", "compute_end", "send_start", "send_end",
              "compute_cpu_s"}},
            {"sent_s", f.measurement.sent_s},
            {"delivered_s", f.measurement.delivered_s},
            {"stages", stages}}}};
}

std::string report_markdown(const TrialFigures& f, const std::vector<ComparisonRow>& rows)
{
  std::ostringstream out;
  out << fmt::format("# Trial of {}\n\nPlacement `{}`, {} inputs ({} warm-up), {}.\n\n", f.loaded.scenario.name,
                     to_string(f.placement, f.loaded.problem.platform), f.measured.inputs, f.measured.warmup,
                     f.testbed);
  if (f.machine_core_flops > 0) {
    out << fmt::format(
        "This machine's core runs the model at {:.3g} FLOP/s (one thread, per CPU-second); CPU shares of the devices:",
        f.machine_core_flops);
    for (size_t s = 0; s < f.cpu_shares.size(); ++s)
      out << fmt::format(" stage {} {:.3f}", s, f.cpu_shares[s]);
    out << ".\n\n";
  }
  out << "| figure | unit | predicted | simulated | measured | measured vs predicted | measured vs simulated |\n"
      << "|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows)
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", r.figure, r.unit, figure(r.predicted),
                       figure(r.simulated), figure(r.measured), error_text(r.predicted, r.measured),
                       error_text(r.simulated, r.measured));
  out << "\nA transfer is measured from the later of its send and the previous input's arrival to its own arrival "
         "(the link's service time). "
      << (f.loaded.problem.deployment.queue_policy == QueuePolicy::DropOldest
              ? "Each stage keeps the newest `queue_depth` inputs that arrived while it was busy and drops the older "
                "ones, as the simulator's stages do.\n"
              : "The trial's queues are TCP socket buffers bounded by the closed loop's window, not `queue_depth` "
                "slots: the steady-state latency differs from the simulator's where the queues fill.\n");
  if (!f.notes.empty()) {
    out << "\n## Not emulated\n\n";
    for (const auto& note : f.notes)
      out << "- " << note << "\n";
  }
  out << "\n![measured timeline](timeline_measured.png)\n![simulated timeline](timeline_simulated.png)\n";
  return out.str();
}

} // namespace

std::vector<ComparisonRow> comparison_rows(const TrialFigures& f)
{
  const Problem& problem = f.loaded.problem;
  const auto& p          = f.predicted;
  const auto& s          = f.simulated;
  const auto& m          = f.measured;
  std::vector<ComparisonRow> rows{
      {"period", "s", p.period_s, s.period_s, m.period_s},
      {"throughput", "inferences/s", p.throughput_ips, s.throughput_ips, m.throughput_ips},
      {"latency, first input", "s", p.latency_s, s.first_latency_s, m.first_latency_s},
      {"latency, median", "s", p.steady_latency_s, s.latency_p50_s, m.latency_p50_s},
      {"latency, p95", "s", none, s.latency_p95_s, m.latency_p95_s},
  };
  for (size_t i = 0; i < m.compute_s.size(); ++i) {
    const auto& host = problem.host(f.placement.stages[i].device).name;
    rows.push_back({fmt::format("stage {} ({}) compute", i, host), "s", p.stages[i].compute_s, none, m.compute_s[i]});
    rows.push_back({fmt::format("stage {} ({}) utilisation", i, host), "share", p.stages[i].compute_s / p.period_s,
                    none, m.utilisation[i]});
  }
  const auto hops = pipeline_hops(problem, f.placement);
  for (size_t h = 0; h < hops.size(); ++h)
    if (hops[h].remote()) {
      rows.push_back({fmt::format("transfer {}", hop_name(problem, hops[h])), "s", predicted_transfer(p, hops[h]), none,
                      m.transfer_s[h]});
      // The cut's bytes times the inputs that crossed: those the receiving stage computed (or the sink received).
      const auto crossed = h < m.computed.size() ? m.computed[h] : m.inputs;
      rows.push_back({fmt::format("bytes {} (whole trial)", hop_name(problem, hops[h])), "bytes",
                      hops[h].bytes * static_cast<double>(crossed), none, m.hop_bytes[h]});
    }
  if (problem.deployment.queue_policy == QueuePolicy::DropOldest)
    rows.push_back({"dropped inputs", "share", none,
                    s.emitted ? static_cast<double>(s.dropped) / static_cast<double>(s.emitted) : none,
                    static_cast<double>(m.dropped) / static_cast<double>(m.emitted)});
  return rows;
}

void print_trial_table(std::ostream& out, const TrialFigures& f)
{
  Table table({"figure", "unit", "predicted", "simulated", "measured", "vs predicted", "vs simulated"});
  for (const auto& r : comparison_rows(f))
    table.add({r.figure, r.unit, figure(r.predicted), figure(r.simulated), figure(r.measured),
               error_text(r.predicted, r.measured), error_text(r.simulated, r.measured)});
  table.print(out);
  for (const auto& note : f.notes)
    out << "note: " << note << "\n";
}

void write_trial_outputs(const std::string& directory, const TrialFigures& f)
{
  const fs::path dir(directory);
  fs::create_directories(dir);
  const auto rows = comparison_rows(f);
  write_atomically(dir / "trial.yaml", trial_yaml(f));
  write_atomically(dir / "result.json", result_json(f, rows).dump(2) + "\n");
  write_atomically(dir / "report.md", report_markdown(f, rows));
  const std::string title = f.loaded.scenario.name;
  analysis::plot_timeline(measured_timeline(f), (dir / "timeline_measured").string(), title + ": measured");
  analysis::plot_timeline(f.simulated, (dir / "timeline_simulated").string(), title + ": simulated");
}

} // namespace pipesplit::cli
