#include "cli/command.hpp"
#include "analysis/figure_style.hpp"
#include "analysis/scenario_overrides.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "sim/simgrid_options.hpp"
#include "sim/simgrid_version.hpp"

#include <iostream>
#include <set>

namespace po = boost::program_options;

namespace pipesplit::cli {

bool parse_command_line(const Args& args, const std::string& usage, po::options_description& options,
                        std::string* scenario, po::variables_map& values, std::vector<std::string>* more)
{
  options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(options);
  po::positional_options_description positional;
  if (scenario) {
    all.add_options()("scenario", po::value<std::string>(scenario), "scenario file");
    positional.add("scenario", 1);
  }
  if (more) {
    all.add_options()("positional-files", po::value(more)->composing(), "files");
    positional.add("positional-files", -1);
  }
  // --help is answered before the required options are checked (po::notify), so that it works on its own.
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << usage << "\n\n" << options << '\n';
      return false;
    }
    for (const char* simgrid_help : {"help-cfg", "help-logs"})
      if (values.count(simgrid_help) && values[simgrid_help].as<bool>()) {
        sim::print_simgrid_help(std::string("--") + simgrid_help);
        return false;
      }
    po::notify(values);
  } catch (const po::error& e) {
    throw InputError("command line", "", std::string(e.what()) + " (see --help)");
  }
  if (scenario && scenario->empty())
    throw InputError("command line", "", "a SCENARIO file is required (see --help)");
  return true;
}

void add_simgrid_options(po::options_description& options, std::vector<std::string>* items)
{
  options.add_options()("cfg", po::value(items)->composing(),
                        "ITEM:VALUE: a SimGrid configuration item for the simulation, set after pipesplit's own "
                        "(repeatable), e.g. --cfg=network/bandwidth-factor:0.9")(
      "help-cfg", po::bool_switch(), "list SimGrid's configuration items")("help-logs", po::bool_switch(),
                                                                           "SimGrid's help on --log");
}

void add_set_option(po::options_description& options, std::vector<std::string>* sets)
{
  options.add_options()("set", po::value(sets)->composing(),
                        "PATH=VALUE: replace a scenario value, by a sweep axis's path (repeatable), e.g. "
                        "deployment.source_rate_hz=30, platform.links.*.bandwidth=50Mbps, model=mobilenet_v2");
}

LoadedScenario load_scenario_with(const std::string& path, const std::vector<std::string>& sets)
{
  std::vector<analysis::Override> overrides;
  for (const auto& text : sets)
    overrides.push_back(analysis::parse_override(text));
  return analysis::load_scenario(path, overrides);
}

void write_figure_provenance(const std::vector<std::string>& figures, const std::string& command, const Args& args,
                             const std::vector<InputFile>& inputs)
{
  Args command_line{"pipesplit", command};
  command_line.insert(command_line.end(), args.begin(), args.end());
  const auto record = sim::simulation_provenance(command_line, inputs).to_json().dump(2) + "\n";
  std::set<std::string> stems;
  for (const auto& figure : figures)
    stems.insert(analysis::FigureTarget::of(figure).stem);
  for (const auto& stem : stems)
    write_file_atomically(stem + ".provenance.json", record);
}

void write_json_file(const std::string& path, const nlohmann::json& document)
{
  if (path == "-") {
    std::cout << document.dump(2) << '\n' << std::flush;
    if (!std::cout)
      throw std::runtime_error("cannot write the JSON to stdout");
    return;
  }
  write_file_atomically(path, document.dump(2) + "\n");
}

std::ostream& text_output(const std::string& tool_output_path)
{
  return tool_output_path == "-" ? std::cerr : std::cout;
}

nlohmann::json provenance_json(const std::string& command, const Args& args, const Scenario& scenario,
                               const std::vector<InputFile>& extra)
{
  Args command_line{"pipesplit", command};
  command_line.insert(command_line.end(), args.begin(), args.end());
  std::vector<InputFile> inputs = scenario_input_files(scenario);
  inputs.insert(inputs.end(), extra.begin(), extra.end());
  return sim::simulation_provenance(command_line, inputs).to_json();
}

} // namespace pipesplit::cli
