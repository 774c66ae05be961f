// pipesplit validate SCENARIO --measured TRIAL.yaml [--measured TRIAL.yaml ...]: hardware trials' measured stage
// times, transfer times and throughput against the cost model, each figure with its relative error, per trial and
// aggregated over the trials per kind of figure (mean absolute and worst), and a predicted-vs-measured plot.

#include "analysis/scatter_plot.hpp"
#include "cli/command.hpp"
#include "cli/table.hpp"
#include "cost/placement.hpp"
#include "measure/trial.hpp"
#include "measure/trial_errors.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/search_space.hpp"

#include <fmt/format.h>

#include <iostream>
#include <map>

namespace po = boost::program_options;

namespace pipesplit::cli {

namespace {

std::string percent(double fraction)
{
  return fmt::format("{:.1f}%", 100 * fraction);
}

// One trial: its table on stdout, its JSON entry.
nlohmann::json report_trial(std::ostream& out, const LoadedScenario& loaded, const std::string& path,
                            const Trial& trial, const std::vector<Comparison>& rows)
{
  const std::string placement = to_string(trial.placement, loaded.problem.platform);
  out << fmt::format("scenario {}: trial {}, placement {}\n\n", loaded.scenario.name, path, placement);
  Table table({"figure", "unit", "predicted", "measured", "error"});
  nlohmann::json figures = nlohmann::json::array();
  for (const auto& row : rows) {
    table.add({row.figure, row.unit, fmt::format("{:.4g}", row.predicted), fmt::format("{:.4g}", row.measured),
               fmt::format("{:+.1f}%", 100 * row.relative_error())});
    figures.push_back({{"figure", row.figure},
                       {"kind", row.kind},
                       {"unit", row.unit},
                       {"predicted", row.predicted},
                       {"measured", row.measured},
                       {"relative_error", row.relative_error()}});
  }
  table.print(out);
  const auto all = summarize_errors({{path, rows}}).back();
  out << fmt::format("\n{} figures: mean absolute error {}, largest {} (error = (predicted - measured) / "
                     "measured)\n\n",
                     all.figures, percent(all.mean_absolute), percent(all.worst));
  return {{"trial", path},
          {"placement", placement},
          {"figures", figures},
          {"summary",
           {{"figures", all.figures}, {"mean_absolute_error", all.mean_absolute}, {"max_absolute_error", all.worst}}}};
}

// Over every trial, per kind of figure: a table on stdout and the JSON entries.
nlohmann::json report_aggregate(std::ostream& out, const std::vector<ErrorSummary>& summaries, size_t trials)
{
  out << fmt::format("over {} trial{}, per kind of figure:\n\n", trials, trials == 1 ? "" : "s");
  Table table({"kind", "figures", "mean |error|", "worst |error|", "worst figure", "in trial"});
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& s : summaries) {
    table.add(
        {s.kind, std::to_string(s.figures), percent(s.mean_absolute), percent(s.worst), s.worst_figure, s.worst_trial});
    kinds.push_back({{"kind", s.kind},
                     {"figures", s.figures},
                     {"mean_absolute_error", s.mean_absolute},
                     {"max_absolute_error", s.worst},
                     {"worst_figure", s.worst_figure},
                     {"worst_trial", s.worst_trial}});
  }
  table.print(out);
  return kinds;
}

// The plot's points, each kind named with its aggregate errors (the key then carries them).
std::vector<analysis::ScatterPoint> scatter_points(const std::vector<TrialComparison>& compared,
                                                   const std::vector<ErrorSummary>& summaries)
{
  std::map<std::string, std::string> legend;
  for (const auto& s : summaries)
    legend[s.kind] = fmt::format("{} (mean {}, worst {})", s.kind, percent(s.mean_absolute), percent(s.worst));
  std::vector<analysis::ScatterPoint> points;
  for (const auto& trial : compared)
    for (const auto& row : trial.rows)
      points.push_back({trial.trial + ": " + row.figure, row.predicted, row.measured, row.unit, legend[row.kind]});
  return points;
}

} // namespace

ExitStatus validate_main(const Args& args)
{
  std::string scenario_path, json_path, plot_path, size = "page";
  std::vector<std::string> trial_paths, more;
  po::options_description options("Options");
  options.add_options()("measured,m", po::value(&trial_paths)->composing(),
                        "a trial's measurements (YAML, see README); repeatable, or give the files after SCENARIO")(
      "json", po::value(&json_path), "also write the comparison as JSON to FILE")(
      "plot", po::value(&plot_path),
      "predicted-vs-measured plot, one panel per unit: FILE.pdf, FILE.png, FILE.svg, or FILE (all three)")(
      "size", po::value(&size), "the plot's size: column (3.4 in, 8 pt) or page (7 in, 9 pt; default)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit validate SCENARIO (--measured TRIAL.yaml)... [TRIAL.yaml...] "
                            "[--json FILE] [--plot FILE] [--size column|page]\n"
                            "Compare hardware trials' measurements with the cost model's prediction: per trial, and "
                            "aggregated per kind of figure.";
  if (!parse_command_line(args, usage, options, &scenario_path, values, &more))
    return ExitStatus::Ok;
  trial_paths.insert(trial_paths.end(), more.begin(), more.end());
  if (trial_paths.empty())
    throw InputError("command line", "--measured", "give at least one trial file (see --help)");
  const auto figure_size      = analysis::parse_figure_size(size);
  const LoadedScenario loaded = load_scenario(scenario_path);
  std::vector<TrialComparison> compared;
  nlohmann::json trials = nlohmann::json::array();
  for (const auto& path : trial_paths) {
    Trial trial = read_trial_file(path, loaded.problem); // evaluate_placement may fill in thread counts
    compared.push_back(
        {path, compare_trial(trial, loaded.problem, evaluate_placement(loaded.problem, trial.placement))});
    trials.push_back(report_trial(text_output(json_path), loaded, path, trial, compared.back().rows));
  }
  const auto summaries    = summarize_errors(compared);
  nlohmann::json document = {{"scenario", loaded.scenario.name},
                             {"trials", trials},
                             {"aggregate", report_aggregate(text_output(json_path), summaries, compared.size())}};
  if (compared.size() == 1) // the fields of the one-trial form, as before
    for (const char* field : {"trial", "placement", "figures", "summary"})
      document[field] = trials[0][field];
  std::vector<InputFile> trial_files;
  for (const auto& path : trial_paths)
    trial_files.push_back(hashed_input("trial", path));
  document["provenance"] = provenance_json("validate", args, loaded.scenario, trial_files);
  if (!json_path.empty())
    write_json_file(json_path, document);
  if (!plot_path.empty() && summaries.back().figures > 0) {
    analysis::plot_predicted_vs_measured(scatter_points(compared, summaries), plot_path,
                                         fmt::format("{}: predicted vs measured, {} trial{}", loaded.scenario.name,
                                                     compared.size(), compared.size() == 1 ? "" : "s"),
                                         figure_size);
    std::vector<InputFile> inputs = scenario_input_files(loaded.scenario);
    inputs.insert(inputs.end(), trial_files.begin(), trial_files.end());
    write_figure_provenance({plot_path}, "validate", args, inputs);
  }
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
