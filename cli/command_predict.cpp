// pipesplit predict SCENARIO --placement P [--json FILE]: the cost model's figures for one placement.

#include "cli/command.hpp"
#include "cli/prediction_report.hpp"
#include "cost/cost_model.hpp"
#include "cost/pipeline_schedule.hpp"
#include "cost/placement.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/ns3_limits.hpp"

#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus predict_main(const Args& args)
{
  std::string scenario_path;
  std::string placement_text;
  std::string json_path;
  std::string network;
  po::options_description options("Options");
  std::vector<std::string> sets;
  add_set_option(options, &sets);
  options.add_options()("placement,p", po::value(&placement_text)->required(),
                        "stages as DEVICE:FIRST-LAST[@THREADS],... (chain block indices, 0-based, inclusive)")(
      "network", po::value(&network), "override the scenario's network_model: ideal, lv08 or ns3")(
      "json", po::value(&json_path), "also write the prediction as JSON to FILE");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit predict SCENARIO --placement \"pi0:0-11,pi1:12-20\" [--network MODEL] "
                            "[--json FILE]\n"
                            "Predict period, throughput, latency and memory of a placement with the cost model.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  LoadedScenario loaded = load_scenario_with(scenario_path, sets);
  override_network(loaded, network);
  const Placement placement = parse_placement(placement_text, loaded.problem, "--placement");
  if (loaded.problem.deployment.network == NetworkModel::Ns3)
    sim::check_ns3_placement(loaded.problem, placement);
  const auto& simulation      = loaded.scenario.simulation;
  const Prediction prediction = predict_with_contention(loaded.problem, placement, predict(loaded.problem, placement),
                                                        {simulation.warmup, simulation.inferences});
  std::ostream& out           = text_output(json_path);
  out << fmt::format("scenario {}: model {} ({} chain, {} blocks), platform {}\n\n", loaded.scenario.name,
                     loaded.model.name, to_string(loaded.problem.chain.mode), loaded.problem.chain.size(),
                     loaded.problem.platform.file);
  print_prediction(out, loaded.problem, loaded.model, prediction);
  if (!json_path.empty()) {
    auto document          = prediction_to_json(loaded.problem, loaded.model, prediction);
    document["scenario"]   = loaded.scenario.name;
    document["placement"]  = to_string(placement, loaded.problem.platform);
    document["provenance"] = provenance_json("predict", args, loaded.scenario);
    write_json_file(json_path, document);
  }
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
