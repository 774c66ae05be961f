// pipesplit profile MODEL --threads 1,2 -o MODEL.yaml: measure every layer (and the whole model) on this machine with
// the executor, and write the medians as the model file's measured profile, with where they were measured.

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "exec/timing.hpp"
#include "models/model_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace pipesplit::cli {

std::vector<int> parse_thread_list(const std::string& text, int cores)
{
  std::vector<int> threads;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto value = parse_number(item);
    if (!value || *value < 1 || *value != static_cast<int>(*value))
      throw InputError("command line", "--threads", fmt::format("'{}' is not a thread count", item));
    if (*value > cores)
      throw InputError("command line", "--threads", fmt::format("{} threads on {} cores", *value, cores));
    threads.push_back(static_cast<int>(*value));
  }
  if (threads.empty())
    throw InputError("command line", "--threads", "give thread counts, e.g. 1,2");
  return threads;
}

// A progress line on a terminal, nothing when stderr is piped.
static std::function<void(int, int)> progress_line(const std::string& model, int threads)
{
  if (!isatty(STDERR_FILENO))
    return {};
  return [model, threads](int run, int total) {
    std::cerr << fmt::format("\rprofile {}: {} thread(s), run {}/{}   ", model, threads, run + 1, total) << std::flush;
  };
}

// The model with `profile`'s measurements at `threads` replaced by `timing`'s medians.
static void record(Model& model, const std::string& profile, int threads, const exec::StageTiming& timing)
{
  auto& measurements = model.profiles[profile];
  std::erase_if(measurements, [threads](const LayerMeasurement& m) { return m.threads == threads; });
  for (size_t i = 0; i < timing.layers.size(); ++i)
    measurements.push_back(
        {model.layers[i].name, threads, timing.layers[i].median, timing.repeats, timing.layers[i].iqr()});
  auto& machine                  = model.profile_machines[profile];
  machine.cpu                    = exec::cpu_model();
  machine.cores                  = exec::online_cores();
  machine.library                = exec::library_version();
  machine.whole_seconds[threads] = timing.whole.median;
}

ExitStatus profile_main(const Args& args)
{
  std::string model_name, threads_text = "1", profile = "local", out;
  exec::TimingOptions timing_options;
  uint64_t seed = 1;
  po::options_description options("Options");
  options.add_options()("threads", po::value(&threads_text), "thread counts to measure, comma-separated (default 1)")(
      "repeats", po::value(&timing_options.repeats), "measured runs per thread count (default 20)")(
      "warmup", po::value(&timing_options.warmup), "runs before the measured ones (default 3)")(
      "profile", po::value(&profile), "the profile's name, for a host's `profile` property (default local)")(
      "seed", po::value(&seed), "seed of the random weights and input (default 1)")(
      "output,o", po::value(&out)->required(), "the model file to write, with the profile");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit profile MODEL --threads 1,2,4 [--repeats N] [--warmup N] [--profile NAME] -o MODEL.yaml\n"
      "Run the model (a zoo name or a model file with op attributes) on this machine with oneDNN and record every\n"
      "layer's median time per thread count as a measured profile.";
  if (!parse_command_line(args, usage, options, &model_name, values))
    return ExitStatus::Ok;
  if (timing_options.repeats < 1 || timing_options.warmup < 0)
    throw InputError("command line", "--repeats", "needs at least one measured run and no negative warm-up");
  const std::vector<int> thread_counts = parse_thread_list(threads_text, exec::online_cores());
  Model model                          = load_model(model_name);
  const Chain chain                    = build_chain(model, ChainMode::Blocks);
  const exec::Tensor input             = exec::random_input(model, seed);

  // The CPU time shows what other processes on the cores added to the wall time (at one thread they match on a
  // quiet machine).
  Table table({"threads", "whole model", "interquartile", "CPU time", "sum of layers", "sum / whole"});
  for (int threads : thread_counts) {
    exec::StageRunner runner(model, chain, 0, chain.size() - 1, {threads, seed});
    timing_options.progress        = progress_line(model.name, threads);
    const exec::StageTiming timing = exec::time_stage(runner, {input}, timing_options);
    if (timing_options.progress)
      std::cerr << '\r' << std::string(60, ' ') << '\r';
    record(model, profile, threads, timing);
    double layer_sum = 0;
    for (const auto& layer : timing.layers)
      layer_sum += layer.median;
    table.add({std::to_string(threads), format_seconds(timing.whole.median),
               format_seconds(timing.whole.p25) + " - " + format_seconds(timing.whole.p75),
               format_seconds(timing.whole_cpu.median), format_seconds(layer_sum),
               fmt::format("{:.3f}", layer_sum / timing.whole.median)});
  }
  const std::string temporary = out + ".tmp";
  write_model_file(model, temporary);
  read_model_file(temporary); // what was written reads back
  std::filesystem::rename(temporary, out);
  const auto& machine = model.profile_machines.at(profile);
  std::cout << fmt::format("{} on {} ({} cores, {}), {} runs after {} warm-up, medians:\n", model.name, machine.cpu,
                           machine.cores, machine.library, timing_options.repeats, timing_options.warmup);
  table.print(std::cout);
  std::cout << fmt::format("wrote profile '{}' of {} layers to {}\n", profile, model.layers.size(), out);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
