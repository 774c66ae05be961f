// pipesplit worker SCENARIO [--listen ADDRESS:PORT] [--trials N]: serve stages of trials on a board. The scenario
// gives the model (its chain must hash as the controller's does); the controller assigns the stage.

#include "cli/command.hpp"
#include "sim/loaded_scenario.hpp"
#include "trial/worker.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus worker_main(const Args& args)
{
  std::string scenario_path, listen = "0.0.0.0:7000";
  int trials = 1;
  po::options_description options("Options");
  options.add_options()("listen", po::value(&listen),
                        "ADDRESS:PORT to accept the controller and the previous hop on "
                        "(default 0.0.0.0:7000)")("trials", po::value(&trials),
                                                  "trials to serve before exiting (default 1; 0: until killed)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit worker SCENARIO [--listen ADDRESS:PORT] [--trials N]\n"
                            "Serve one stage of `pipesplit trial --hosts` on this board.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw InputError("--listen", "", fmt::format("'{}' is not ADDRESS:PORT", listen));
  const LoadedScenario loaded = load_scenario(scenario_path);
  boost::asio::io_context context;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(listen.substr(0, colon), error);
  if (error)
    throw InputError("--listen", "", fmt::format("'{}' is not an IP address", listen.substr(0, colon)));
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    throw InputError("--listen", "", fmt::format("'{}' is not a port", listen.substr(colon + 1)));
  }
  trial::tcp::acceptor acceptor(context, trial::tcp::endpoint(address, static_cast<unsigned short>(port)));
  std::cerr << fmt::format("pipesplit worker: {} ({} blocks) on {}\n", loaded.scenario.name,
                           loaded.problem.chain.size(), listen);
  for (int served = 0; trials == 0 || served < trials; ++served)
    trial::serve_trial(acceptor, loaded.model, loaded.problem.chain);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
