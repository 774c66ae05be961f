#pragma once
// Everything the cost model and the solvers need, as plain data: the platform view, the chain, the devices that
// may be used, where inputs come from and results go, and the deployment options.

#include "core/chain.hpp"
#include "core/platform.hpp"
#include "cost/compute_model.hpp"
#include "cost/layer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pipesplit::cost {

enum class NetworkModel { Ideal, Lv08, Ns3 };
enum class QueuePolicy { Block, DropOldest };

NetworkModel parse_network_model(const std::string& text); // throws std::invalid_argument
std::string to_string(NetworkModel model);
QueuePolicy parse_queue_policy(const std::string& text);
std::string to_string(QueuePolicy policy);

struct Deployment {
  std::optional<int> threads;       // threads per stage; unset = every core of the device ("auto" lets solvers choose)
  bool threads_auto        = false; // solvers pick the thread count of stages sharing a device
  int max_cuts             = -1;    // -1: no limit
  bool device_reuse        = false; // may a device host several non-adjacent stages
  int queue_depth          = 2;     // inputs a stage may hold waiting (>= 1)
  QueuePolicy queue_policy = QueuePolicy::Block;
  NetworkModel network     = NetworkModel::Ideal;
  double source_rate_hz    = 0; // 0: closed loop (a new input as soon as the pipeline accepts one)
  int window               = 0; // inputs in flight in closed loop; 0: enough to keep every stage busy (see below)
};

struct Problem {
  Platform platform;
  Chain chain;
  std::vector<int> devices;  // host indices that may run stages, in the scenario's order
  std::optional<int> source; // host that produces inputs; unset: inputs appear on the first stage's device
  std::optional<int> sink;   // host that consumes results; unset: results stay on the last stage's device
  Deployment deployment;
  ComputeModel compute;

  const HostInfo& host(int index) const { return platform.hosts.at(index); }
  // Thread count of a stage alone on `device`, as the deployment says.
  int default_threads(int device) const;
  // Inputs in flight in closed loop: the deployment's window, or by default room for every stage to hold one input
  // computing, one being sent and a full queue (more than the latency / period of any placement needs).
  int closed_loop_window(int stages) const;
};

} // namespace pipesplit::cost
