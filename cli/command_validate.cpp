// pipesplit validate SCENARIO --measured TRIAL.yaml: a hardware trial's measured stage times, transfer times and
// throughput against the cost model, each with its relative error, a summary and a scatter plot.

#include "analysis/scatter_plot.hpp"
#include "cli/command.hpp"
#include "cli/table.hpp"
#include "cost/placement.hpp"
#include "measure/trial.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/search_space.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus validate_main(const Args& args)
{
  std::string scenario_path, trial_path, json_path, plot_path;
  po::options_description options("Options");
  options.add_options()("measured,m", po::value(&trial_path)->required(),
                        "the trial's measurements (YAML, see README)")("json", po::value(&json_path),
                                                                       "also write the comparison as JSON to FILE")(
      "plot", po::value(&plot_path), "write a predicted-vs-measured scatter plot to FILE.png");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit validate SCENARIO --measured TRIAL.yaml [--json FILE] [--plot FILE.png]\n"
                            "Compare a hardware trial's measurements with the cost model's prediction.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  const LoadedScenario loaded = load_scenario(scenario_path);
  Trial trial                 = read_trial_file(trial_path, loaded.problem);
  const Prediction prediction = evaluate_placement(loaded.problem, trial.placement);
  const auto rows             = compare_trial(trial, loaded.problem, prediction);

  std::cout << fmt::format("scenario {}: trial {}, placement {}\n\n", loaded.scenario.name, trial_path,
                           to_string(trial.placement, loaded.problem.platform));
  Table table({"figure", "unit", "predicted", "measured", "error"});
  nlohmann::json document = {{"scenario", loaded.scenario.name},
                             {"trial", trial_path},
                             {"placement", to_string(trial.placement, loaded.problem.platform)},
                             {"figures", nlohmann::json::array()}};
  double sum_abs = 0, max_abs = 0;
  std::vector<analysis::ScatterPoint> points;
  for (const auto& row : rows) {
    const double error = row.relative_error();
    sum_abs += std::abs(error);
    max_abs = std::max(max_abs, std::abs(error));
    table.add({row.figure, row.unit, fmt::format("{:.4g}", row.predicted), fmt::format("{:.4g}", row.measured),
               fmt::format("{:+.1f}%", 100 * error)});
    document["figures"].push_back({{"figure", row.figure},
                                   {"unit", row.unit},
                                   {"predicted", row.predicted},
                                   {"measured", row.measured},
                                   {"relative_error", error}});
    points.push_back({row.figure, row.predicted, row.measured, row.unit, row.kind});
  }
  table.print(std::cout);
  const double mean_abs = rows.empty() ? 0 : sum_abs / static_cast<double>(rows.size());
  std::cout << fmt::format("\n{} figures: mean absolute error {:.1f}%, largest {:.1f}% (error = (predicted - "
                           "measured) / measured)\n",
                           rows.size(), 100 * mean_abs, 100 * max_abs);
  document["summary"] = {{"figures", rows.size()}, {"mean_absolute_error", mean_abs}, {"max_absolute_error", max_abs}};
  if (!json_path.empty())
    write_json_file(json_path, document);
  if (!plot_path.empty() && !rows.empty()) {
    analysis::plot_predicted_vs_measured(
        points, plot_path, fmt::format("{}: predicted vs measured ({})", loaded.scenario.name, trial_path));
  }
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
