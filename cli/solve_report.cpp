#include "cli/solve_report.hpp"
#include "cli/prediction_report.hpp"
#include "core/units.hpp"
#include "cost/placement.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

namespace pipesplit::cli {

std::function<void(const SolveProgress&)> solve_progress_on_terminal()
{
  if (!isatty(STDERR_FILENO))
    return {};
  return [](const SolveProgress& p) {
    std::cerr << fmt::format("\r{:.1f} s, {} nodes: best {}, bound {}, gap {:.2f}%   ", p.elapsed_s, p.nodes,
                             format_seconds(p.incumbent_s), format_seconds(p.lower_bound_s),
                             100 * (p.incumbent_s - p.lower_bound_s) / p.incumbent_s)
              << std::flush;
  };
}

static double speedup(const SolveResult& result, const SolveResult& single)
{
  return result.feasible && single.feasible ? single.prediction.period_s / result.prediction.period_s : 0;
}

void print_solve_report(std::ostream& out, const LoadedScenario& loaded, const SolveResult& result,
                        const SolveResult& single)
{
  const Problem& problem = loaded.problem;
  out << fmt::format("scenario {}: model {} ({} chain, {} blocks) on {} devices, platform {}\n", loaded.scenario.name,
                     loaded.model.name, to_string(problem.chain.mode), problem.chain.size(), problem.devices.size(),
                     problem.platform.file);
  if (!result.feasible) {
    out << "no feasible placement: " << result.note << '\n';
    return;
  }
  out << fmt::format("placement {} ({}, {})\n\n", to_string(result.placement, problem.platform), result.solver,
                     result.optimal ? "proven optimal" : "not proven optimal");
  print_prediction(out, problem, loaded.model, result.prediction);
  if (result.solver != "plan") // a plan's proof is about its objective: print_plan_summary shows it
    out << fmt::format("lower bound  {} per input, proven (gap {:.2f}%)\n", format_seconds(result.lower_bound_s),
                       100 * result.gap);
  if (single.feasible)
    out << fmt::format("best single  {} at {} per input: speed-up {:.3f}x\n",
                       problem.host(single.placement.stages[0].device).name, format_seconds(single.prediction.period_s),
                       speedup(result, single));
  else
    out << "best single  none (no device holds the whole model)\n";
  if (!result.note.empty())
    out << "note         " << result.note << '\n';
}

nlohmann::json solve_report_json(const LoadedScenario& loaded, const SolveOptions& options, const SolveResult& result,
                                 const SolveResult& single)
{
  const Problem& problem = loaded.problem;
  nlohmann::json out;
  if (result.feasible)
    out = prediction_to_json(problem, loaded.model, result.prediction);
  out["scenario"]       = loaded.scenario.name;
  out["feasible"]       = result.feasible;
  out["placement"]      = result.feasible ? to_string(result.placement, problem.platform) : "";
  out["optimal"]        = result.optimal;
  out["lower_bound_s"]  = result.lower_bound_s;
  out["gap"]            = result.gap;
  out["solver"]         = to_string(options.solver);
  out["bound"]          = to_string(options.bound);
  out["found_by"]       = result.solver;
  out["nodes_expanded"] = result.nodes_expanded;
  out["wall_s"]         = result.wall_s;
  out["note"]           = result.note;
  if (single.feasible)
    out["best_single"] = {{"device", problem.host(single.placement.stages[0].device).name},
                          {"period_s", single.prediction.period_s},
                          {"throughput_ips", single.prediction.throughput_ips}};
  else
    out["best_single"] = nullptr;
  out["speedup_vs_best_single"] = speedup(result, single);
  return out;
}

} // namespace pipesplit::cli
