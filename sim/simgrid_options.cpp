#include "sim/simgrid_options.hpp"
#include "core/error.hpp"
#include "sim/child_process.hpp"
#include "sim/engine_arguments.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include <iostream>

namespace sg4 = simgrid::s4u;

namespace pipesplit::sim {

void check_configuration(const std::vector<std::string>& items)
{
  if (items.empty())
    return;
  std::vector<std::string> words;
  for (const auto& item : items)
    words.push_back("--cfg=" + item);
  const ChildResult child = run_in_child([&words](const Progress&) {
    xbt_log_control_set("xbt_cfg.thres:warning");
    EngineArguments arguments(words);
    sg4::Engine engine(arguments.argc(), arguments.argv());
    return std::string();
  });
  if (child.exit.ok())
    return;
  std::string complaint = simgrid_complaint(child.exit.diagnostics);
  if (const auto list = complaint.find("; Existing config keys"); list != std::string::npos)
    complaint.resize(list); // the whole list follows: --help-cfg shows it
  throw InputError("command line", "--cfg", complaint + " (pipesplit simulate --help-cfg lists the items)");
}

void print_simgrid_help(const std::string& flag)
{
  const ChildResult child = run_in_child([&flag](const Progress&) {
    EngineArguments arguments({flag == "--help-cfg" ? "--help" : flag});
    sg4::Engine engine(arguments.argc(), arguments.argv());
    return std::string();
  });
  std::cout << std::flush;
  std::cout << child.exit.diagnostics;
}

} // namespace pipesplit::sim
