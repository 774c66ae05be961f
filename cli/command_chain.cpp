// pipesplit chain SCENARIO [--json FILE]: the chain the scenario partitions, block by block, so placements can be
// written by hand.

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "core/units.hpp"
#include "sim/loaded_scenario.hpp"

#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus chain_main(const Args& args)
{
  std::string scenario_path;
  std::string json_path;
  po::options_description options("Options");
  options.add_options()("json", po::value(&json_path), "also write the chain as JSON to FILE");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit chain SCENARIO [--json FILE]\n"
                            "List the blocks of the chain the scenario partitions (indices used by --placement).";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  const LoadedScenario loaded = load_scenario(scenario_path);
  const Chain& chain          = loaded.problem.chain;
  const Model& model          = loaded.model;
  std::ostream& out           = text_output(json_path);
  out << fmt::format("{}: {} chain of {}: {} blocks from {} layers, input {}\n\n", loaded.scenario.name,
                     to_string(chain.mode), model.name, chain.size(), model.layers.size(),
                     format_bytes(chain.input_bytes));
  Table table({"block", "layers", "first layer", "last layer", "work", "weights", "cut after"});
  nlohmann::json document = {
      {"model", model.name}, {"chain", to_string(chain.mode)}, {"input_bytes", chain.input_bytes}};
  document["blocks"] = nlohmann::json::array();
  for (int b = 0; b < chain.size(); ++b) {
    const Block& block = chain.blocks[b];
    table.add({std::to_string(b), std::to_string(block.last_layer - block.first_layer + 1),
               model.layers[block.first_layer].name, model.layers[block.last_layer].name, format_flop(block.flop),
               format_bytes(block.param_bytes), format_bytes(block.cut_bytes)});
    document["blocks"].push_back({{"index", b},
                                  {"name", block.name},
                                  {"first_layer", model.layers[block.first_layer].name},
                                  {"last_layer", model.layers[block.last_layer].name},
                                  {"flop", block.flop},
                                  {"macs", block.macs},
                                  {"param_bytes", block.param_bytes},
                                  {"cut_bytes", block.cut_bytes}});
  }
  table.print(out);
  out << "\ncut after: bytes sent to the next stage if the chain is cut after this block (the last block's go to the "
         "sink).\n";
  if (json_path.empty())
    return ExitStatus::Ok;
  document["provenance"] = provenance_json("chain", args, loaded.scenario); // asks the SimGrid module its version
  write_json_file(json_path, document);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
