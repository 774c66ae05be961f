#include "trial/calibrated_profile.hpp"
#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "exec/timing.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <numeric>
#include <sstream>

namespace pipesplit::trial {

namespace {

// The whole chain run as `pipesplit profile` runs it (a block's weights leave the caches before its next run, as in
// the pipeline). The whole run's median CPU seconds (what the pacing stretches; other processes on a shared machine
// lengthen only wall time) shared among the blocks as their layers' median wall seconds are: each layer's median
// already leaves out the runs other processes interrupted, so the sum of the medians is not the whole run's time.
std::string time_blocks(const Model& model, const Chain& chain, int repeats)
{
  exec::StageRunner whole(model, chain, 0, chain.size() - 1, {.threads = 1, .seed = 1});
  exec::TimingOptions options;
  options.warmup                 = 1;
  options.repeats                = repeats;
  const exec::StageTiming timing = exec::time_stage(whole, {trial_input(model, 0, 1)}, options);
  std::vector<double> block_s;
  for (const auto& block : chain.blocks) {
    block_s.push_back(0);
    for (int layer = block.first_layer; layer <= block.last_layer; ++layer)
      block_s.back() += timing.layers.at(layer - whole.first_layer()).median;
  }
  const double cpu_per_median = timing.whole_cpu.median / std::accumulate(block_s.begin(), block_s.end(), 0.0);
  std::string message;
  for (double seconds : block_s)
    message += fmt::format("{:.17g} ", seconds * cpu_per_median);
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
