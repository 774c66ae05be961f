#pragma once
// Exact search for the objectives and constraints of objective.hpp: depth-first branch and bound over stages (the
// devices, the cuts; thread counts as the deployment sets them, chosen per device when automatic), each complete
// placement scored by the cost model. A subtree is pruned when it cannot meet a constraint (its period, latency or
// energy already too high: each only grows as stages are added) or when a lower bound on its keys, compared in the
// order of the tie-breaks, is already worse than the incumbent's. Bounds per key:
//  - period: the loads so far (partial_placement.hpp); with a minimum rate, any load above 1 / rate prunes;
//  - devices: those used so far, plus, under a minimum rate, the devices the rest of the chain needs: its fastest
//    compute time (each block on its fastest device) beyond what the used devices can still take within the period;
//  - cost: the used devices' costs; latency: the compute and transfers so far plus the rest's fastest compute;
//  - energy: every host's least power (idle, epsilon or off) and every link's idle power over the period so far,
//    plus the used devices' dynamic energy (busy time and core load) so far.
// Stopped by a time or node limit, the result is the best found, "not proven", with the gap to the root bound.

#include "solver/layer.hpp"
#include "solver/objective.hpp"
#include "solver/solver.hpp"

namespace pipesplit::solver {

struct PlanRequest {
  Objective objective = Objective::Throughput;
  Constraints constraints;
  double time_limit_s  = 0; // 0: none
  long long node_limit = 0; // 0: none
};

struct PlanResult {
  bool feasible = false;
  Placement placement;
  Prediction prediction;
  EnergyPrediction energy;
  Figures figures;
  bool optimal = false;      // the whole space was covered
  double lower_bound   = 0;  // on the objective's figure (proven)
  double gap           = 0;  // (value - lower_bound) / value; 0 when optimal
  double headroom_ips  = 0;  // the highest rate the placement sustains (headroom_ips())
  long long nodes      = 0;
  double wall_s        = 0;
  std::string note;
};

PlanResult plan(const Problem& problem, const PlanRequest& request);

} // namespace pipesplit::solver
