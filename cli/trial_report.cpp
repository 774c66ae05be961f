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
    const std::string hop_lane = trial_hop_name(problem, hops[s]);
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

// The calibrated model: where it comes from, the block times it was built from (emulated), its prediction.
nlohmann::json calibration_json(const TrialFigures& f)
{
  const auto& c = f.calibration;
  return {{"source", c.source},
          {"block_seconds", c.block_seconds},
          {"prediction",
           c.predicted ? prediction_to_json(f.loaded.problem, f.loaded.model, *c.predicted) : nlohmann::json()},
          {"simulated", c.simulated ? sim::to_json(*c.simulated) : nlohmann::json()}};
}

nlohmann::json result_json(const TrialFigures& f, const std::vector<ComparisonRow>& rows)
{
  const auto number = [](double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); };
  auto comparison   = nlohmann::json::array();
  for (const auto& r : rows)
    comparison.push_back({{"figure", r.figure},
                          {"unit", r.unit},
                          {"predicted", number(r.predicted)},
                          {"calibrated", number(r.calibrated)},
                          {"simulated", number(r.simulated)},
                          {"simulated_calibrated", number(r.calibrated_simulated)},
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
          {"calibration", calibration_json(f)},
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
  out << "Predicted and simulated: the scenario's own model. Calibrated: " << f.calibration.source << ".\n\n"
      << "| figure | unit | predicted | calibrated | simulated | simulated (calibrated) | measured | measured vs "
         "predicted | measured vs calibrated | measured vs simulated (calibrated) |\n"
      << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows)
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.figure, r.unit,
                       figure_text(r.predicted), figure_text(r.calibrated), figure_text(r.simulated),
                       figure_text(r.calibrated_simulated), figure_text(r.measured),
                       error_text(r.predicted, r.measured), error_text(r.calibrated, r.measured),
                       error_text(r.calibrated_simulated, r.measured));
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

void print_trial_table(std::ostream& out, const TrialFigures& f)
{
  Table table({"figure", "unit", "predicted", "calibrated", "simulated", "sim. calibrated", "measured", "vs predicted",
               "vs calibrated", "vs sim. calibrated"});
  for (const auto& r : comparison_rows(f))
    table.add({r.figure, r.unit, figure_text(r.predicted), figure_text(r.calibrated), figure_text(r.simulated),
               figure_text(r.calibrated_simulated), figure_text(r.measured), error_text(r.predicted, r.measured),
               error_text(r.calibrated, r.measured), error_text(r.calibrated_simulated, r.measured)});
  table.print(out);
  out << "calibrated: " << f.calibration.source << "\n";
  for (const auto& note : f.notes)
    out << "note: " << note << "\n";
}

void write_trial_outputs(const std::string& directory, const TrialFigures& f, const nlohmann::json& provenance)
{
  const fs::path dir(directory);
  fs::create_directories(dir);
  const auto rows = comparison_rows(f);
  write_atomically(dir / "trial.yaml", trial_yaml(f));
  nlohmann::json result = result_json(f, rows);
  result["provenance"]  = provenance;
  write_atomically(dir / "result.json", result.dump(2) + "\n");
  write_atomically(dir / "report.md", report_markdown(f, rows));
  const std::string title = f.loaded.scenario.name;
  analysis::plot_timeline(measured_timeline(f), (dir / "timeline_measured").string(), title + ": measured");
  analysis::plot_timeline(f.simulated, (dir / "timeline_simulated").string(), title + ": simulated");
}

} // namespace pipesplit::cli
