#pragma once
// Exact search for the objectives and constraints of objective.hpp: depth-first branch and bound over stages (the
// devices, the cuts; thread counts as the deployment sets them, chosen per device when automatic), each complete
// placement scored by the cost model. A subtree is pruned when it cannot meet a constraint (its period, latency or
// energy already too high: each only grows as stages are added) or when a lower bound on its keys, compared in the
// order of the tie-breaks, is already worse than the incumbent's. Bounds per key:
//  - period: the loads so far (partial_placement.hpp); with a minimum rate, any load above 1 / rate prunes;
//  - devices: those used so far, plus, under a minimum rate, the devices the rest of the chain needs: its work
//    beyond what the used devices can still take within the period, in several units of work (work_measures.hpp:
//    the least load over the devices, and each device's own loads); each device takes whole blocks: at most the
//    largest subset sum of the rest's block work within its slack;
//  - cost: the used devices' costs; latency: the compute and transfers so far plus the rest's fastest compute;
//  - energy: every host's least power (idle, epsilon or off) and every link's idle power over the period so far,
//    plus the used devices' dynamic energy (busy time and core load) so far.
// Before those bounds, a stage is pruned when a load passes the period that matters (1 / the minimum rate; the
// incumbent's for the throughput objective and in the tie-breaks of the devices objective), or when the last three
// stages or fewer cannot finish the chain within it (stage_fits.hpp); stages pruned so are not even tried.
// Stopped by a time or node limit, the result is the best found, "not proven", with the gap to the root bound.

#include "solver/layer.hpp"
#include "solver/objective.hpp"
#include "solver/solver.hpp"

namespace pipesplit::solver {

// The axes of a Pareto front: each one minimised (throughput as the period).
enum class Axis { Throughput, Latency, Devices, Energy, Cost };
Axis parse_axis(const std::string& text); // throws std::invalid_argument
std::string to_string(Axis axis);
double axis_value(Axis axis, const Figures& figures); // period for throughput

// Does `a` dominate `b` on the axes: no worse on every one, better on one (equal within a relative 1e-9)?
bool dominates(const std::vector<Axis>& axes, const Figures& a, const Figures& b);

struct PlanRequest {
  Objective objective = Objective::Throughput;
  Constraints constraints;
  // Non-empty: find every non-dominated placement on these axes (PlanResult::front) instead of one best.
  std::vector<Axis> front_axes;
  size_t keep_explored = 0; // keep the figures of the first N placements scored that meet the constraints
  // Energy and cost objectives: choose each device's pstate too (hosts declaring several speeds): every assignment,
  // in lexicographic order over problem.devices, is searched; on equal figures the first assignment stays.
  bool choose_pstates = false;

  double time_limit_s  = 0; // 0: none
  long long node_limit = 0; // 0: none
};

struct FrontPoint {
  Placement placement;
  Figures figures;
  // Stopped early, a placement the search did not reach may dominate this point. `proven`: none can (no subtree
  // left unexplored has lower bounds that could). `bound`, per front axis (PlanRequest::front_axes' order, values as
  // axis_value: period for throughput): the best value a placement dominating this point can have; the point's own
  // value where none can improve that axis. Exact fronts: proven, bound = the point's values.
  bool proven = true;
  std::vector<double> bound;
};

struct PlanResult {
  bool feasible = false;
  Placement placement;
  Prediction prediction;
  EnergyPrediction energy;
  Figures figures;
  bool optimal      = false;    // the whole space was covered: the objective and its tie-breaks are proven
  bool value_proven = false;    // the objective's figure is proven optimal (devices and cost: ties may be unfinished)
  long long nodes_to_value = 0; // nodes of the pass that proved it (devices and cost)
  double value_wall_s      = 0; // seconds that pass took
  double lower_bound       = 0; // on the objective's figure (proven)
  double gap               = 0; // (value - lower_bound) / value; 0 when optimal
  double headroom_ips      = 0; // the highest rate the placement sustains (headroom_ips())
  long long nodes          = 0;
  double wall_s            = 0;
  std::string note;
  std::vector<FrontPoint> front; // the Pareto front, in the order of the tie-breaks (throughput objective)
  // Per front axis: the least value (period for throughput) of any placement the search did not reach; +infinity
  // when it reached every one (the front is exact).
  std::vector<double> unexplored_bound;
  long long evaluated = 0;       // complete placements scored
  std::vector<Figures> explored; // the first PlanRequest::keep_explored of them meeting the constraints
  std::vector<int> pstates;      // with choose_pstates: the pstate of every host (index into platform.hosts)
};

PlanResult plan(const Problem& problem, const PlanRequest& request);

// The problem with its hosts at the given pstates (speed and power of that pstate).
Problem at_pstates(const Problem& problem, const std::vector<int>& pstates);

} // namespace pipesplit::solver
