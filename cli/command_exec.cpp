// pipesplit exec MODEL --blocks A-B --threads T: run one stage for real on this machine and set its measured time
// against the cost model's prediction for it, uncalibrated (the platform's figures) and calibrated.

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "cost/compute_model.hpp"
#include "exec/timing.hpp"
#include "measure/calibration.hpp"
#include "models/model_file.hpp"
#include "sim/platform_loader.hpp"

#include <fmt/format.h>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

// "A-B" (or "A") to inclusive block indices.
static std::pair<int, int> parse_block_range(const std::string& text, const Chain& chain)
{
  const auto dash  = text.find('-');
  const auto first = parse_number(text.substr(0, dash));
  const auto last  = dash == std::string::npos ? first : parse_number(text.substr(dash + 1));
  if (!first || !last || *first != static_cast<int>(*first) || *last != static_cast<int>(*last) || *first < 0 ||
      *last < *first || *last >= chain.size())
    throw InputError(
        "command line", "--blocks",
        fmt::format("'{}' is not a range A-B of blocks 0-{} of {}", text, chain.size() - 1, chain.model_name));
  return {static_cast<int>(*first), static_cast<int>(*last)};
}

static double predicted_seconds(const Chain& chain, int first, int last, const HostInfo& host, int threads)
{
  const ComputeModel compute;
  double seconds = 0;
  for (int b = first; b <= last; ++b)
    seconds += compute.block_seconds(chain.blocks[b], host, threads);
  return seconds;
}

static std::string against(double predicted, double measured)
{
  return fmt::format("{} ({:+.1f}% against the measured median)", format_seconds(predicted),
                     100 * (predicted / measured - 1));
}

ExitStatus exec_main(const Args& args)
{
  std::string model_name, blocks_text, chain_text = "blocks", platform_path, host_name, calibration_path;
  int threads = 1;
  exec::TimingOptions timing;
  uint64_t seed = 1;
  po::options_description options("Options");
  options.add_options()("blocks", po::value(&blocks_text)->required(), "the stage: chain blocks A-B, inclusive")(
      "threads", po::value(&threads), "threads of the stage (default 1)")("inputs", po::value(&timing.repeats),
                                                                          "measured inputs (default 20)")(
      "warmup", po::value(&timing.warmup), "inputs run before the measured ones (default 3)")(
      "chain", po::value(&chain_text), "blocks (default) or layers, as in scenarios")(
      "seed", po::value(&seed), "seed of the random weights and input (default 1)")(
      "platform", po::value(&platform_path), "a platform whose --host the prediction is made for")(
      "host", po::value(&host_name), "the host of --platform (default: its first)")(
      "calibration", po::value(&calibration_path), "a calibration file: also predict with it applied");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit exec MODEL --blocks A-B [--threads T] [--inputs N] [--platform XML [--host H]\n"
      "                      [--calibration FILE]]\n"
      "Run a stage of the model (a zoo name or a model file with op attributes) on this machine, one input after\n"
      "the other, and compare its median time with the cost model's prediction for the stage.";
  if (!parse_command_line(args, usage, options, &model_name, values))
    return ExitStatus::Ok;
  if (timing.repeats < 1 || timing.warmup < 0)
    throw InputError("command line", "--inputs", "needs at least one measured input and no negative warm-up");
  if (!calibration_path.empty() && platform_path.empty())
    throw InputError("command line", "--calibration", "a calibration applies to a --platform's host");
  ChainMode mode{};
  try {
    mode = parse_chain_mode(chain_text);
  } catch (const std::invalid_argument& e) {
    throw InputError("command line", "--chain", e.what());
  }
  const Model model        = load_model(model_name);
  const Chain chain        = build_chain(model, mode);
  const auto [first, last] = parse_block_range(blocks_text, chain);
  exec::StageRunner runner(model, chain, first, last, {threads, seed});
  // The stage's inputs: what the stages before it give for one random model input.
  std::vector<exec::Tensor> inputs{exec::random_input(model, seed)};
  if (first > 0)
    inputs = exec::StageRunner(model, chain, 0, first - 1, {threads, seed}).run(inputs);
  const exec::StageTiming measured = exec::time_stage(runner, inputs, timing);

  double flop = 0;
  for (int b = first; b <= last; ++b)
    flop += chain.blocks[b].flop;
  std::cout << fmt::format("{}, blocks {}-{} of {} (layers {}..{}: {}), {} thread(s), on {} ({})\n", model.name, first,
                           last, chain.size(), model.layers[runner.first_layer()].name,
                           model.layers[runner.last_layer()].name, format_flop(flop), threads, exec::cpu_model(),
                           exec::library_version());
  std::cout << fmt::format("receives {}, sends {} (the chain's cut)\n", format_bytes(runner.input_bytes()),
                           format_bytes(runner.output_bytes()));
  std::cout << fmt::format("measured over {} inputs after {} warm-up: median {}, interquartile {} - {}\n",
                           timing.repeats, timing.warmup, format_seconds(measured.whole.median),
                           format_seconds(measured.whole.p25), format_seconds(measured.whole.p75));
  if (platform_path.empty())
    return ExitStatus::Ok;
  Platform platform     = sim::load_platform_view(platform_path);
  const int host        = host_name.empty() ? 0 : platform.host_index(host_name, "--host");
  const HostInfo& plain = platform.hosts[host];
  if (threads > plain.cores)
    throw InputError("command line", "--threads", fmt::format("{} has {} cores", plain.name, plain.cores));
  std::cout << fmt::format("predicted on {} ({}): {}\n", plain.name, platform_path,
                           against(predicted_seconds(chain, first, last, plain, threads), measured.whole.median));
  if (!calibration_path.empty()) {
    Platform calibrated = platform;
    apply_calibration(read_calibration_file(calibration_path), calibrated, calibration_path);
    std::cout << fmt::format(
        "predicted on {} calibrated ({}): {}\n", plain.name, calibration_path,
        against(predicted_seconds(chain, first, last, calibrated.hosts[host], threads), measured.whole.median));
  }
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
