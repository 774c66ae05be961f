#include "cli/simulation_report.hpp"
#include "cli/table.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include <unistd.h>

#include <map>

namespace pipesplit::cli {

double relative_error(double simulated, double predicted)
{
  return predicted != 0 ? (simulated - predicted) / predicted : 0;
}

sim::ReplayOptions replay_options_for(LoadedScenario& loaded, long long inferences, long long warmup,
                                      const std::string& network, const std::vector<std::string>& log_controls)
{
  sim::ReplayOptions options;
  options.inferences = inferences >= 0 ? inferences : loaded.scenario.simulation.inferences;
  options.warmup     = warmup >= 0 ? warmup : loaded.scenario.simulation.warmup;
  if (options.inferences < 1)
    throw InputError("command line", "--inferences", "must be >= 1");
  override_network(loaded, network);
  options.network = loaded.problem.deployment.network;
  if (!isatty(STDERR_FILENO))
    options.log_controls.push_back("pipesplit_wall.thres:warning");
  options.log_controls.insert(options.log_controls.end(), log_controls.begin(), log_controls.end());
  return options;
}

std::string stall_message(const sim::ReplayResult& replay)
{
  return fmt::format("the simulation delivered {} of {} results: the pipeline stalled (a failure or a deadlock: "
                     "SimGrid's log above says where)",
                     replay.delivered, replay.expected);
}

sim::ReplayResult replay_reporting(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                   const sim::ReplayOptions& options)
{
  std::string diagnostics;
  std::function<void(long long, long long)> progress; // a line on a terminal, nothing when piped
  if (isatty(STDERR_FILENO))
    progress = [](long long delivered, long long wanted) {
      std::cerr << fmt::format("\rsimulating: {} of {} results", delivered, wanted) << std::flush;
    };
  const auto result = sim::replay_in_child(problem, placement, prediction, options, &diagnostics, progress);
  if (progress)
    std::cerr << "\r\033[K"; // the progress line gives way to the report
  std::cerr << diagnostics;
  return result;
}

static std::string percent(double fraction)
{
  // Below the last digit shown, the sign is rounding noise.
  return std::abs(fraction) < 5e-5 ? "0.00%" : fmt::format("{:+.2f}%", 100 * fraction);
}

void print_comparison(std::ostream& out, const Problem& problem, const Prediction& prediction,
                      const sim::ReplayResult& replay)
{
  (void)problem;
  Table figures({"figure", "predicted", "simulated", "error"});
  figures.add({"period", format_seconds(prediction.period_s), format_seconds(replay.period_s),
               percent(relative_error(replay.period_s, prediction.period_s))});
  figures.add({"throughput (inferences/s)", fmt::format("{:.4g}", prediction.throughput_ips),
               fmt::format("{:.4g}", replay.throughput_ips),
               percent(relative_error(replay.throughput_ips, prediction.throughput_ips))});
  figures.add({"latency, first input", format_seconds(prediction.latency_s), format_seconds(replay.first_latency_s),
               percent(relative_error(replay.first_latency_s, prediction.latency_s))});
  const bool steady_known = !std::isnan(prediction.steady_latency_s);
  figures.add({"latency p50", steady_known ? format_seconds(prediction.steady_latency_s) : "(queueing)",
               format_seconds(replay.latency_p50_s),
               steady_known ? percent(relative_error(replay.latency_p50_s, prediction.steady_latency_s)) : ""});
  figures.add({"latency p95", "", format_seconds(replay.latency_p95_s), ""});
  figures.add({"latency p99", "", format_seconds(replay.latency_p99_s), ""});
  figures.add({"latency max", "", format_seconds(replay.latency_max_s), ""});
  figures.print(out);
  out << '\n';
  std::map<std::string, double> predicted_load;
  for (const auto& load : prediction.loads)
    predicted_load[load.label()] = load.load_s;
  Table resources({"resource", "predicted utilisation", "simulated utilisation", "simulated bytes"});
  for (const auto& use : replay.resources) {
    const auto it = predicted_load.find(to_string(use.kind) + " " + use.name);
    resources.add({to_string(use.kind) + " " + use.name,
                   it == predicted_load.end() ? "" : fmt::format("{:.1f}%", 100 * it->second / prediction.period_s),
                   fmt::format("{:.1f}%", 100 * use.utilisation),
                   use.kind == ResourceKind::Link ? format_bytes(use.bytes) : ""});
  }
  resources.print(out);
  out << fmt::format("\n{} inputs emitted, {} results delivered, {} dropped; measured {} results after {} of warm-up "
                     "({} network model)\n",
                     replay.emitted, replay.delivered, replay.dropped, replay.measured,
                     format_seconds(replay.window_start_s), replay.network);
  if (!transient_warning(replay).empty())
    out << "WARNING: " << transient_warning(replay) << '\n';
}

std::string transient_warning(const sim::ReplayResult& replay)
{
  if (replay.transient_results == 0)
    return "";
  return fmt::format("the first {} measured results were still in the start-up transient (MSER-5 over their "
                     "latencies): the warm-up was too short and the figures are biased; measure again with --warmup "
                     "raised by at least {}",
                     replay.transient_results, replay.transient_results);
}

nlohmann::json comparison_json(const Prediction& prediction, const sim::ReplayResult& replay)
{
  return {{"period_s",
           {{"predicted", prediction.period_s},
            {"simulated", replay.period_s},
            {"relative_error", relative_error(replay.period_s, prediction.period_s)}}},
          {"throughput_ips",
           {{"predicted", prediction.throughput_ips},
            {"simulated", replay.throughput_ips},
            {"relative_error", relative_error(replay.throughput_ips, prediction.throughput_ips)}}},
          {"latency_s",
           {{"predicted", prediction.latency_s},
            {"simulated_first", replay.first_latency_s},
            {"relative_error", relative_error(replay.first_latency_s, prediction.latency_s)}}},
          {"steady_latency_s",
           {{"predicted", std::isnan(prediction.steady_latency_s) ? nlohmann::json(nullptr)
                                                                  : nlohmann::json(prediction.steady_latency_s)},
            {"simulated_p50", replay.latency_p50_s}}}};
}

} // namespace pipesplit::cli
