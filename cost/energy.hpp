#pragma once
// Energy of a placement in steady state, as SimGrid 3.32's host and link energy plugins account for it (checked
// against them by tests/sim/test_energy.cpp). Per period P (one inference):
//  - a host that runs a stage, the source or the sink is on: it draws Idle while nothing computes, and
//    Epsilon + load x (AllCores - Epsilon) while something does, load = busy cores / cores. Work is conserved, so
//    the integral of the load over a period is sum_s threads_s x compute_s / cores whatever the overlap; the time
//    with anything running is sum_s compute_s (stages of one device assumed not to overlap; exact for one stage
//    per device, and whenever Epsilon = Idle), at most P:
//      E = Idle x (P - busy) + Epsilon x busy + (AllCores - Epsilon) x sum_s threads_s x compute_s / cores;
//  - a host that runs nothing is switched off by the simulation and draws wattage_off;
//  - a link draws Idle + (Busy - Idle) x usage. The plugin samples the usage when a transfer over the link starts
//    or ends and charges the interval before at that usage: a transfer alone on the link counts from its start,
//    latency included, at its rate (busy = (bytes + route latency x rate) x weight / bandwidth per crossing); the
//    latency of one that starts while others' data flow adds nothing. Which happens depends on the phases: the
//    prediction weights each latency by the chance that the others' data leave the link idle when it starts
//    (exact for one transfer per link and for a saturated link; within 0.1% of the plugin on the shipped
//    scenarios and 0.5% on random ones). FATPIPE links: the plugin reads the largest flow's usage, so transfers
//    that overlap there count once; the prediction (their sum) is then an upper bound.
// Power = energy per inference / P.

#include "cost/cost_model.hpp"
#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

#include <string>
#include <vector>

namespace pipesplit::cost {

struct DeviceEnergy {
  int host = 0;
  std::string name;
  bool on         = true; // runs a stage, the source or the sink
  int pstate      = 0;
  double busy_s   = 0; // per inference: time with a computation running
  double energy_J = 0; // per inference
  double power_W  = 0; // average
};

struct LinkEnergy {
  int link = 0;
  std::string name;
  double busy_s   = 0; // per inference, at full usage
  double energy_J = 0;
  double power_W  = 0;
};

struct EnergyPrediction {
  bool declared   = false;           // the platform declares power for some host or link
  double energy_J = 0;               // per inference, every host and link
  double power_W  = 0;               // average, every host and link
  std::vector<DeviceEnergy> devices; // every host of the platform
  std::vector<LinkEnergy> links;     // every link with a declared power
};

// Does the platform declare any power (hosts' wattage_per_state, links' wattage_range)?
bool declares_power(const Platform& platform);

// Hosts the pipeline uses (stages, source, sink): the others are off.
std::vector<bool> hosts_on(const Problem& problem, const Placement& placement);

EnergyPrediction predict_energy(const Problem& problem, const Placement& placement, const Prediction& prediction);

} // namespace pipesplit::cost
