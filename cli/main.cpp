// pipesplit: partitioned, pipelined DNN inference across edge devices: predict, solve, simulate.

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "sim/simgrid_version.hpp"

#include <fmt/format.h>

#include <iostream>

namespace {

struct Command {
  const char* name;
  const char* summary;
  pipesplit::core::ExitStatus (*run)(const pipesplit::cli::Args&);
};

const Command commands[] = {
    {"run", "solve, predict, simulate and compare; write result.json, report.md and a timeline picture",
     pipesplit::cli::run_main},
    {"simulate", "replay a placement with SimGrid and compare it with the prediction", pipesplit::cli::simulate_main},
    {"predict", "cost-model figures (period, throughput, latency, memory) of one placement",
     pipesplit::cli::predict_main},
    {"solve", "the throughput-optimal placement (branch and bound, DP, brute force, greedy baselines)",
     pipesplit::cli::solve_main},
    {"pareto", "every non-dominated placement on throughput, latency, devices, energy, cost (CSV, JSON, figure)",
     pipesplit::cli::pareto_main},
    {"chain", "list the blocks of a scenario's chain (the indices placements use)", pipesplit::cli::chain_main},
    {"models", "list the built-in model zoo", pipesplit::cli::models_main},
    {"model", "import an ONNX model, or attach measured per-layer times to a model", pipesplit::cli::model_main},
    {"calibrate", "fit a device's speed, per-op efficiencies or memory traffic to measurements",
     pipesplit::cli::calibrate_main},
    {"sweep", "the acceleration region over a parameter grid (CSV, resumable, sharded)", pipesplit::cli::sweep_main},
    {"plot", "pictures of a sweep: speed-up heatmap with the closed-form boundary, or curves",
     pipesplit::cli::plot_main},
    {"validate", "compare a hardware trial's measurements with the prediction", pipesplit::cli::validate_main},
    {"compare", "several results side by side: a Markdown and CSV table, and a bar figure",
     pipesplit::cli::compare_main},
    {"profile", "measure every layer on this machine (oneDNN) into a model's measured profile",
     pipesplit::cli::profile_main},
    {"exec", "run one stage on this machine and compare its time with the prediction", pipesplit::cli::exec_main},
    {"trial", "run the pipeline for real (emulated testbed or boards) beside prediction and simulation",
     pipesplit::cli::trial_main},
    {"worker", "serve one stage of a trial on a board", pipesplit::cli::worker_main},
};

void print_usage(std::ostream& out)
{
  out << "Usage: pipesplit COMMAND [OPTIONS]\n"
         "  or:  pipesplit --version\n"
         "Predict, optimise, simulate and measure partitioned, pipelined DNN inference across edge devices.\n"
         "A command's options: pipesplit COMMAND --help.\n\nCommands:\n";
  for (const auto& command : commands)
    out << fmt::format("  {:<10} {}\n", command.name, command.summary);
}

// Runs a command; a failure is one line on stderr and its exit status (core/error.hpp).
pipesplit::core::ExitStatus run_command(const Command& command, const pipesplit::cli::Args& args)
{
  using pipesplit::core::ExitStatus;
  try {
    return command.run(args);
  } catch (const pipesplit::core::SimulationFailure& e) {
    std::cerr << "pipesplit " << command.name << ": simulation failed: " << e.what() << '\n';
    return e.status();
  } catch (const pipesplit::core::Failure& e) {
    std::cerr << "pipesplit " << command.name << ": error: " << e.what() << '\n';
    return e.status();
  } catch (const std::exception& e) {
    const ExitStatus status = pipesplit::core::status_of(e);
    std::cerr << "pipesplit " << command.name << (status == ExitStatus::Bug ? ": internal error: " : ": error: ")
              << e.what() << '\n';
    return status;
  }
}

} // namespace

int main(int argc, char** argv)
{
  using pipesplit::core::ExitStatus;
  if (argc < 2) {
    print_usage(std::cerr);
    return static_cast<int>(ExitStatus::BadInput);
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return static_cast<int>(ExitStatus::Ok);
  }
  if (name == "--version" || name == "version") {
    std::cout << fmt::format("pipesplit {} ({})\n", pipesplit::core::tool_version, pipesplit::core::tool_revision);
    try { // SimGrid's version is the SimGrid module's answer (sim/simgrid_module.hpp), which may be missing
      std::cout << fmt::format("SimGrid {}\n", pipesplit::sim::simgrid_version());
    } catch (const std::exception& e) {
      std::cerr << "pipesplit: internal error: " << e.what() << '\n';
      return static_cast<int>(ExitStatus::Bug);
    }
    return static_cast<int>(ExitStatus::Ok);
  }
  for (const auto& command : commands)
    if (name == command.name)
      return static_cast<int>(run_command(command, pipesplit::cli::Args(argv + 2, argv + argc)));
  std::cerr << "pipesplit: unknown command '" << name << "'\n";
  print_usage(std::cerr);
  return static_cast<int>(ExitStatus::BadInput);
}
