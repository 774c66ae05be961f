// pipesplit models [--json FILE]: the built-in zoo with layers, FLOP and parameters.

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "core/units.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus models_main(const Args& args)
{
  std::string json_path;
  po::options_description options("Options");
  options.add_options()("json", po::value(&json_path), "also write the list as JSON to FILE");
  po::variables_map values;
  if (!parse_command_line(args, "Usage: pipesplit models [--json FILE]\nList the built-in model zoo.", options, nullptr,
                          values))
    return ExitStatus::Ok;
  Table table(
      {"model", "input", "layers", "MAC", "FLOP", "params", "weights", "published MAC / params", "description"});
  nlohmann::json document = nlohmann::json::array();
  for (const auto& entry : model_zoo()) {
    const Model model = entry.build();
    table.add({entry.name, shape_to_string(model.input_shape), std::to_string(model.layers.size()),
               fmt::format("{:.3f} G", model.total_macs() / 1e9), format_flop(model.total_flop()),
               fmt::format("{:.2f} M", model.total_params() / 1e6), format_bytes(model.total_param_bytes()),
               fmt::format("{:.3f} G / {:.2f} M", entry.published_macs / 1e9, entry.published_params / 1e6),
               entry.description});
    document.push_back({{"name", entry.name},
                        {"description", entry.description},
                        {"input_shape", model.input_shape},
                        {"layers", model.layers.size()},
                        {"macs", model.total_macs()},
                        {"flop", model.total_flop()},
                        {"params", model.total_params()},
                        {"param_bytes", model.total_param_bytes()},
                        {"published_macs", entry.published_macs},
                        {"published_params", entry.published_params},
                        {"reference", entry.reference}});
  }
  std::ostream& out = text_output(json_path);
  table.print(out);
  out << "\nMAC: multiply-accumulates (1 MAC = 2 FLOP); FLOP also counts element-wise work. Batch 1.\n";
  if (!json_path.empty())
    write_json_file(json_path, document);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
