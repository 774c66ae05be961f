#include "trial/calibrated_profile.hpp"
#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "exec/timing.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <sstream>

namespace pipesplit::trial {

namespace {

// Each block as a stage of its own, fed the previous block's outputs: its CPU seconds per input (the time the paced
// worker stretches by 1 / share, and unlike wall time not lengthened by other processes on the cores).
std::string time_blocks(const Model& model, const Chain& chain, int repeats)
{
  exec::TimingOptions options;
  options.warmup  = 1;
  options.repeats = repeats;
  std::vector<exec::Tensor> inputs{trial_input(model, 0, 1)};
  std::string message;
  for (int b = 0; b < chain.size(); ++b) {
    exec::StageRunner runner(model, chain, b, b, {.threads = 1, .seed = 1});
    message += fmt::format("{:.17g} ", exec::time_stage(runner, inputs, options).whole_cpu.median);
    inputs = runner.run(inputs);
  }
  return message;
}

} // namespace

// In a child process, so that the executor's memory and oneDNN's caches do not stay in the controller.
std::vector<double> measure_block_seconds(const Model& model, const Chain& chain, int repeats)
{
  std::vector<double> seconds;
  WorkerPool pool(1, [&](int, const WorkerPool::Emit& emit) { emit(time_blocks(model, chain, repeats)); });
  const auto exits = pool.wait([&](int, const std::string& message) {
    std::istringstream in(message);
    for (double value; in >> value;)
      seconds.push_back(value);
  });
  if (!exits[0].ok())
    exits[0].rethrow();
  if (static_cast<int>(seconds.size()) != chain.size())
    throw SimulationFailure(fmt::format("timing the blocks gave {} times for {} blocks", seconds.size(), chain.size()));
  return seconds;
}

std::string calibrated_profile_name(const std::string& host)
{
  return "trial:" + host;
}

Problem calibrated_problem(const Problem& problem, const std::vector<double>& block_seconds,
                           const std::map<int, double>& cpu_share_by_host)
{
  Problem calibrated = problem;
  for (const auto& [host, share] : cpu_share_by_host) {
    auto& info   = calibrated.platform.hosts.at(host);
    info.profile = calibrated_profile_name(info.name);
    for (size_t b = 0; b < calibrated.chain.blocks.size(); ++b)
      calibrated.chain.blocks[b].measured_s[info.profile] = {{1, block_seconds.at(b) / share}};
  }
  return calibrated;
}

} // namespace pipesplit::trial
