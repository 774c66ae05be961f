#pragma once
// Planning objectives and constraints beyond the highest throughput: the fewest devices, the cheapest set of devices
// (host property "cost"), the lowest latency or the lowest energy per inference, under a minimum rate, a latency
// bound and an energy bound. Every placement is scored by the cost model (cost_model.hpp, energy.hpp).
//
// Ties, after the objective's figure (equal within a relative 1e-9), are broken in this order: fewer devices, then
// higher throughput (shorter period), lower latency, lower energy per inference, lower cost, fewer stages, and last
// the placement's text (pipesplit's "DEVICE:FIRST-LAST@THREADS,..." form, byte order), so that the answer is one
// placement whatever the search order.

#include "cost/cost_model.hpp"
#include "cost/energy.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "solver/layer.hpp"

#include <limits>
#include <string>
#include <vector>

namespace pipesplit::solver {

enum class Objective { Throughput, Devices, Cost, Latency, Energy };
Objective parse_objective(const std::string& text); // throws std::invalid_argument
std::string to_string(Objective objective);
std::vector<Objective> all_objectives();

struct Constraints {
  double min_rate_hz   = 0; // 0: none
  double max_latency_s = std::numeric_limits<double>::infinity();
  double max_energy_J  = std::numeric_limits<double>::infinity(); // per inference
  bool any() const;
  std::string describe() const; // "rate >= 30 Hz, latency <= 0.2 s", or "none"
};

// What the objectives and constraints read of a placement.
struct Figures {
  double period_s  = 0;
  double latency_s = 0; // one input through an idle pipeline
  double energy_J  = 0; // per inference, every host and link
  double cost      = 0; // sum of the devices' "cost" properties
  int devices      = 0; // distinct devices running stages
  int stages       = 0;
  std::string text; // the placement, for the last tie-break
};

Figures figures_of(const Problem& problem, const Placement& placement, const Prediction& prediction,
                   const EnergyPrediction& energy);

// The objective's figure: period (throughput), devices, cost, latency or energy.
double objective_value(Objective objective, const Figures& figures);

bool meets(const Constraints& constraints, const Figures& figures);

// Is `a` strictly preferred to `b` under the objective and the documented tie-breaks?
bool preferred(Objective objective, const Figures& a, const Figures& b);

// The highest rate (inferences/s) the placement sustains when inputs come as fast as it accepts them: 1 / the
// largest device, link or transfer load (a camera's pace set aside).
double headroom_ips(const Problem& problem, const Placement& placement);

} // namespace pipesplit::solver
