// pipesplit: partitioned, pipelined DNN inference across edge devices: predict, solve, simulate.

#include "command.hpp"
#include "error.hpp"

#include <fmt/format.h>

#include <functional>
#include <iostream>

namespace {

struct Command {
  const char* name;
  const char* summary;
  std::function<int(const pipesplit::cli::Args&)> run;
};

const Command commands[] = {
    {"run", "solve, predict, simulate and compare; write result.json, report.md and a timeline picture",
     pipesplit::cli::run_run},
    {"simulate", "replay a placement with SimGrid and compare it with the prediction", pipesplit::cli::run_simulate},
    {"predict", "cost-model figures (period, throughput, latency, memory) of one placement",
     pipesplit::cli::run_predict},
    {"solve", "the throughput-optimal placement (branch and bound, DP, brute force, greedy baselines)",
     pipesplit::cli::run_solve},
    {"chain", "list the blocks of a scenario's chain (the indices placements use)", pipesplit::cli::run_chain},
    {"models", "list the built-in model zoo", pipesplit::cli::run_models},
    {"model", "import an ONNX model, or attach measured per-layer times to a model", pipesplit::cli::run_model},
    {"calibrate", "fit a device's speed and per-op efficiencies to measurements", pipesplit::cli::run_calibrate},
    {"sweep", "the acceleration region over a parameter grid (CSV, resumable, sharded)", pipesplit::cli::run_sweep},
    {"plot", "pictures of a sweep: speed-up heatmap with the closed-form boundary, or curves",
     pipesplit::cli::run_plot},
    {"validate", "compare a hardware trial's measurements with the prediction", pipesplit::cli::run_validate},
};

void print_usage(std::ostream& out)
{
  out << "Usage: pipesplit COMMAND [OPTIONS]  (pipesplit COMMAND --help for its options)\n\nCommands:\n";
  for (const auto& command : commands)
    out << fmt::format("  {:<10} {}\n", command.name, command.summary);
}

} // namespace

int main(int argc, char** argv)
{
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  for (const auto& command : commands) {
    if (name != command.name)
      continue;
    try {
      return command.run(pipesplit::cli::Args(argv + 2, argv + argc));
    } catch (const pipesplit::InputError& e) {
      std::cerr << "pipesplit " << name << ": error: " << e.what() << '\n';
      return 2;
    } catch (const pipesplit::SimulationFailure& e) {
      std::cerr << "pipesplit " << name << ": simulation failed: " << e.what() << '\n';
      return 3;
    } catch (const std::exception& e) {
      std::cerr << "pipesplit " << name << ": internal error: " << e.what() << '\n';
      return 1;
    }
  }
  std::cerr << "pipesplit: unknown command '" << name << "'\n";
  print_usage(std::cerr);
  return 2;
}
