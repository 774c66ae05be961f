#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <iostream>

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
    po::notify(values);
  } catch (const po::error& e) {
    throw InputError("command line", "", std::string(e.what()) + " (see --help)");
  }
  if (scenario && scenario->empty())
    throw InputError("command line", "", "a SCENARIO file is required (see --help)");
  return true;
}

void write_json_file(const std::string& path, const nlohmann::json& document)
{
  write_file_atomically(path, document.dump(2) + "\n");
}

} // namespace pipesplit::cli
