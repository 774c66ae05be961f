#include "cli/markdown_report.hpp"
#include "cli/simulation_report.hpp"
#include "core/units.hpp"
#include "cost/placement.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace pipesplit::cli {

static std::string percent(double fraction)
{
  // Below the last digit shown, the sign is rounding noise.
  return std::abs(fraction) < 5e-5 ? "0.00%" : fmt::format("{:+.2f}%", 100 * fraction);
}

std::string markdown_report(const LoadedScenario& loaded, const SolveResult& solved, const SolveResult& single,
                            const sim::ReplayResult& replay, const std::string& timeline_picture)
{
  const Problem& problem = loaded.problem;
  const Prediction& p    = solved.prediction;
  const auto& hosts      = problem.platform.hosts;
  const auto& blocks     = problem.chain.blocks;
  std::string md;
  md += fmt::format("# pipesplit report: {}\n\n", loaded.scenario.name);
  if (!loaded.scenario.description.empty())
    md += loaded.scenario.description + "\n\n";
  md += fmt::format("- model: **{}** ({} layers, {:.3g} GFLOP per input), {} chain of {} blocks\n", loaded.model.name,
                    loaded.model.layers.size(), loaded.model.total_flop() / 1e9, to_string(problem.chain.mode),
                    problem.chain.size());
  md += fmt::format("- platform: `{}`, devices {}\n", problem.platform.file, problem.devices.size());
  md += fmt::format("- placement: `{}` ({}, {})\n", to_string(solved.placement, problem.platform), solved.solver,
                    solved.optimal ? "proven optimal" : "not proven optimal: " + solved.note);
  if (single.feasible)
    md += fmt::format("- best single device: {} at {} per input; the placement is **{:.3f}x** faster\n",
                      hosts[single.placement.stages[0].device].name, format_seconds(single.prediction.period_s),
                      single.prediction.period_s / p.period_s);
  md +=
      "\n## Plan\n\n| stage | device | blocks | layers | threads | compute | memory |\n|---|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < p.stages.size(); ++i) {
    const auto& s = p.stages[i];
    md += fmt::format("| {} | {} | {}-{} | {} .. {} | {} | {} | {} |\n", i, hosts[s.stage.device].name, s.stage.first,
                      s.stage.last, loaded.model.layers[blocks[s.stage.first].first_layer].name,
                      loaded.model.layers[blocks[s.stage.last].last_layer].name, s.stage.threads,
                      format_seconds(s.compute_s), format_bytes(s.memory_bytes));
  }
  if (!p.transfers.empty()) {
    md += "\n| transfer | bytes | time |\n|---|---|---|\n";
    for (const auto& t : p.transfers)
      md += fmt::format("| {} -> {} | {} | {} |\n", hosts[t.from].name, hosts[t.to].name, format_bytes(t.bytes),
                        format_seconds(t.time_s));
  }
  md += fmt::format("\n## Predicted and simulated\n\nSimulated with SimGrid ({} network model), {} results measured "
                    "after {} of warm-up.\n\n",
                    replay.network, replay.measured, format_seconds(replay.window_start_s));
  if (!transient_warning(replay).empty())
    md += "**Warning**: " + transient_warning(replay) + ".\n\n";
  md += "| figure | predicted | simulated | error |\n|---|---|---|---|\n";
  md += fmt::format("| period | {} | {} | {} |\n", format_seconds(p.period_s), format_seconds(replay.period_s),
                    percent(relative_error(replay.period_s, p.period_s)));
  md += fmt::format("| throughput | {:.4g} /s | {:.4g} /s | {} |\n", p.throughput_ips, replay.throughput_ips,
                    percent(relative_error(replay.throughput_ips, p.throughput_ips)));
  md +=
      fmt::format("| latency of the first input | {} | {} | {} |\n", format_seconds(p.latency_s),
                  format_seconds(replay.first_latency_s), percent(relative_error(replay.first_latency_s, p.latency_s)));
  md += fmt::format("| latency p50 / p95 / p99 / max | {} | {} / {} / {} / {} | |\n",
                    std::isnan(p.steady_latency_s) ? "queueing, not predicted" : format_seconds(p.steady_latency_s),
                    format_seconds(replay.latency_p50_s), format_seconds(replay.latency_p95_s),
                    format_seconds(replay.latency_p99_s), format_seconds(replay.latency_max_s));
  md += fmt::format("| dropped inputs | | {} of {} | |\n", replay.dropped, replay.emitted);
  md +=
      fmt::format("\n**Bottleneck**: {} ({} per input).\n", p.bottleneck.label(), format_seconds(p.bottleneck.load_s));
  const double error = std::abs(relative_error(replay.period_s, p.period_s));
  md += error <= 1e-3 ? "The simulation confirms the predicted period (within 0.1%).\n"
                      : fmt::format("The simulated period differs from the prediction by {}: see the README's section "
                                    "on where the replay and the model part ways (shared links with latency, stages "
                                    "sharing a device's cores, small windows, SimGrid's TCP model).\n",
                                    percent(relative_error(replay.period_s, p.period_s)));
  std::map<std::string, double> predicted;
  for (const auto& load : p.loads)
    predicted[load.label()] = load.load_s / p.period_s;
  md += "\n## Utilisation\n\n| resource | predicted | simulated | bytes moved (window) |\n|---|---|---|---|\n";
  for (const auto& use : replay.resources) {
    const auto it = predicted.find(to_string(use.kind) + " " + use.name);
    md += fmt::format("| {} {} | {} | {:.1f}% | {} |\n", to_string(use.kind), use.name,
                      it == predicted.end() ? "" : fmt::format("{:.1f}%", 100 * it->second), 100 * use.utilisation,
                      use.kind == ResourceKind::Link ? format_bytes(use.bytes) : "");
  }
  if (!timeline_picture.empty())
    md += fmt::format("\n## Timeline\n\nA few periods after warm-up: one lane per stage and per transfer, one box per "
                      "input (numbered).\n\n![timeline]({})\n",
                      timeline_picture);
  return md;
}

} // namespace pipesplit::cli
