#include "sim/simgrid_options.hpp"
#include "core/error.hpp"
#include "sim/child_process.hpp"
#include "sim/simgrid_module.hpp"

#include <iostream>

namespace pipesplit::sim {

void check_configuration(const std::vector<std::string>& items)
{
  if (items.empty())
    return;
  std::vector<std::string> words;
  for (const auto& item : items)
    words.push_back("--cfg=" + item);
  const ChildResult child = run_in_child([&words](const Progress&) {
    simgrid_module().start_engine(words, "xbt_cfg.thres:warning");
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
    simgrid_module().start_engine({flag == "--help-cfg" ? "--help" : flag}, nullptr);
    return std::string();
  });
  std::cout << std::flush;
  std::cout << child.exit.diagnostics;
}

} // namespace pipesplit::sim
