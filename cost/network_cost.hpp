#pragma once
// What a transfer costs under each network model, as the cost model and the solvers see it.
//  - ideal: latency + bytes / bandwidth; every crossing of a link costs bytes / bandwidth of it.
//  - lv08 (SimGrid's default TCP model, 3.32): the latency counts 13.01 times, links deliver 0.97 of their
//    bandwidth, every flow's acknowledgements load its reverse route with 0.05 of its rate (cross-traffic: on a
//    SHARED link crossed both ways a lone flow gets 0.97 x bandwidth / 1.05), and a flow's rate is capped at
//    0.97 x TCP-gamma / (2 x route latency) with TCP-gamma = 4 MiB (SimGrid scales the capped rate too).
//  - ns3: predicted as ideal (a packet-level simulation has no closed form); the replay reports the deviation.

#include "core/platform.hpp"
#include "cost/layer.hpp"
#include "cost/problem.hpp"

#include <vector>

namespace pipesplit::cost {

struct LinkUse {
  int link      = 0;
  double weight = 1; // bytes of load per byte sent (crossings, plus the acknowledgements' share)
};

struct TransferCost {
  double latency_s        = 0; // as the model charges it
  double seconds_per_byte = 0; // 1 / the rate of a lone flow
  std::vector<LinkUse> uses;   // one entry per link used, forward and (lv08) backward
  // How the flow shares its links with others, as SimGrid's max-min solver sees it (network_cm02.cpp): the solver
  // gives it a rate within `rate_bound_Bps` (its slowest link, the TCP-gamma cap) in proportion to 1 / `penalty`
  // (its route's latency, plus weight-S / bandwidth per crossing in lv08), and bytes move at rate x `rate_factor`.
  double penalty        = 1;
  double rate_bound_Bps = 0;
  double rate_factor    = 1;
  double seconds(double bytes) const { return latency_s + bytes * seconds_per_byte; }
};

struct NetworkFactors {
  double latency_factor   = 1;
  double bandwidth_factor = 1;
  double cross_traffic    = 0; // share of a flow's rate its acknowledgements use on the reverse route
  double tcp_gamma        = 0; // bytes; 0: no cap
  double weight_s         = 0; // bytes; the RTT-unfairness payload of the sharing penalty
  static NetworkFactors of(NetworkModel model);
};

// Capacity of a link in bytes/s under the model.
double link_capacity(const Platform& platform, NetworkModel model, int link);
TransferCost transfer_cost(const Platform& platform, NetworkModel model, int from, int to);

} // namespace pipesplit::cost
