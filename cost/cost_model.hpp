#pragma once
// The analytic cost model: stage compute times, transfer times, resource loads, period, throughput, latency and
// memory of a placement. Compute and communication overlap (each stage sends from its own thread through bounded
// queues), so in steady state the pipeline runs at the pace of its most loaded resource:
//   - a device: its stages share its cores, load = max(sum_s threads_s x compute_s / cores, max_s compute_s)
//     (with full-core stages this is the sum of their compute times, the paper's Tc(n));
//   - a link: sum over the transfers crossing it of bytes / bandwidth (a SHARED link, or one direction of a
//     SPLITDUPLEX link, carries all of them; a FATPIPE link is never shared: its load is its largest transfer);
//   - a sender: each cut is sent by one thread, one input at a time: route latency + bytes / bottleneck bandwidth.
//   - the source, at a camera rate: one input per 1 / rate;
//   - a closed loop of W inputs in flight (an explicit `window`): each input needs the idle-pipeline latency L to
//     come back, so W inputs take at least L / W per input (Little's law).
// period = the largest load; throughput = 1 / period. Latency is the time one input takes through an idle pipeline.

#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

#include <string>
#include <vector>

namespace pipesplit::cost {

struct StagePrediction {
  Stage stage;
  double compute_s    = 0;
  double memory_bytes = 0;     // weights + queue_depth x (input + output tensors)
  bool measured       = false; // compute time from a measured profile
};

struct TransferPrediction {
  int from        = 0; // host indices
  int to          = 0;
  int after_block = 0; // the cut after this block; -1: input from the source; chain size - 1: output to the sink
  double bytes    = 0;
  double time_s   = 0;
};

// What paces the pipeline: a device, a link, one transfer's sender, the source (a camera), the closed loop's window,
// or the schedule of transfers competing on shared links (pipeline_schedule.hpp).
enum class ResourceKind { Device, Link, Transfer, Source, Window, Schedule };
std::string to_string(ResourceKind kind); // "device", "link", ... as reports and JSON files write them

struct ResourceLoad {
  ResourceKind kind = ResourceKind::Device;
  std::string name;
  double load_s = 0;

  std::string label() const { return to_string(kind) + " " + name; } // "device pi0"
};

struct DeviceMemory {
  int device            = 0;
  double used_bytes     = 0;
  double capacity_bytes = 0; // 0: unknown
};

struct Prediction {
  double period_s       = 0;
  double throughput_ips = 0;
  // predict(): the closed form. predict_with_contention() (pipeline_schedule.hpp) replaces them, where the closed
  // form is not exact, with the schedule's first input (which meets the next inputs' transfers) and its median.
  double latency_s        = 0; // the first input, through an idle pipeline
  double steady_latency_s = 0; // in steady state, when the source or the window sets the pace; NaN otherwise
  ResourceLoad bottleneck;
  std::vector<StagePrediction> stages;
  std::vector<TransferPrediction> transfers;
  std::vector<ResourceLoad> loads; // every device, link and transfer load, devices first
  std::vector<DeviceMemory> memory;
  std::vector<std::string> violations; // constraints the placement breaks (memory)
};

// Seconds for `bytes` over `route` alone on an ideal network (see network_cost.hpp for the other models).
double transfer_seconds(const Route& route, double bytes);

Prediction predict(const Problem& problem, const Placement& placement);

} // namespace pipesplit::cost
