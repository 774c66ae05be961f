#pragma once
// The discrete-event replay of a pipelined, partitioned inference with SimGrid actors, as a real runtime runs it:
//  - a source on the source device emits inputs, either as fast as the pipeline accepts them (closed loop: at most
//    `window` inputs in flight, a slot freed by each result) or at a camera rate;
//  - one actor per stage receives an input, computes it with its thread count (stages on one device share its
//    cores), and hands the result to a one-slot send queue: it may compute the next input while the previous result
//    is on the wire, and waits for that send before starting the next one;
//  - each stage's input queue holds `queue_depth` inputs; when full, the sender blocks (queue_policy: block) or the
//    oldest waiting input is discarded (drop-oldest, like a live video feed);
//  - a sink on the sink device collects results. Transfers follow the platform's routes, so shared links contend.

#include "cost/cost_model.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "sim/layer.hpp"
#include "sim/replay_result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pipesplit::sim {

struct ReplayOptions {
  NetworkModel network = NetworkModel::Ideal;
  long long inferences = 500; // measured deliveries after warm-up
  long long warmup     = 50;
  std::string trace_file;                // Paje trace, empty for none
  std::vector<std::string> log_controls; // extra SimGrid --log settings
  // SimGrid configuration items (ITEM:VALUE, as --cfg takes them), set after the network model's own: they win.
  std::vector<std::string> configuration;
  // Called now and then (at most about twice a wall second) with the results delivered and the results the run
  // measures up to; none by default.
  std::function<void(long long delivered, long long wanted)> progress;
};

// Network-model settings of SimGrid 3.32 for each of our modes. Ideal reproduces latency + bytes / bandwidth
// exactly; lv08 is SimGrid's default TCP model; ns3 its packet-level binding.
std::vector<std::string> network_configuration(NetworkModel model);

// Replays in this process; there can be only one SimGrid engine per process, so call it once.
ReplayResult replay(const Problem& problem, const Placement& placement, const Prediction& prediction,
                    const ReplayOptions& options);

// The same in a child process, any number of times, and safe from SimGrid's aborts: throws InputError for bad input
// and SimulationFailure with SimGrid's complaint otherwise. `diagnostics` receives what the child logged.
// `on_progress`, if given, receives the child's progress as "delivered/wanted".
ReplayResult replay_in_child(const Problem& problem, const Placement& placement, const Prediction& prediction,
                             const ReplayOptions& options, std::string* diagnostics = nullptr,
                             const std::function<void(long long delivered, long long wanted)>& on_progress = {});

} // namespace pipesplit::sim
