#pragma once
// The planning flags of solve and run (--objective, --min-rate, --max-latency, --max-energy), and how a planned
// placement's objective, constraints, headroom, devices, cost and energy are shown (text and JSON).

#include "cli/layer.hpp"
#include "cost/energy.hpp"
#include "sim/loaded_scenario.hpp"
#include "sim/replay_result.hpp"
#include "solver/objective_search.hpp"
#include "solver/solver.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace pipesplit::cli {

struct PlanFlags {
  std::string objective = "throughput";
  double min_rate_hz    = -1; // -1: the scenario's camera rate, if any
  double max_latency_s  = -1; // -1: none
  double max_energy_J   = -1;
  std::string pstates   = "choose"; // energy and cost objectives: choose each device's pstate, or keep the platform's
};

void add_plan_options(boost::program_options::options_description& options, PlanFlags& flags);

// The request the flags make for this scenario (throws InputError for bad values). nullopt when they ask for the
// default, the highest throughput with no constraint: the throughput solver (solver.hpp) answers that.
std::optional<solver::PlanRequest> plan_request(const PlanFlags& flags, const Problem& problem, double time_limit_s);

// With chosen pstates: the problem at them, so that the reports and the simulation run there.
void apply_pstates(Problem& problem, const solver::PlanResult& planned);

// A plan's result as a SolveResult for the reports that show one (placement, prediction, proof).
solver::SolveResult as_solve_result(const solver::PlanResult& planned);

// The lines after a placement's prediction: objective and constraints (when planned), headroom, devices and cost,
// energy per inference and power per device and link (when the platform declares power).
void print_plan_summary(std::ostream& out, const Problem& problem, const Placement& placement,
                        const Prediction& prediction, const solver::PlanRequest* request,
                        const solver::PlanResult* planned);
nlohmann::json plan_summary_json(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                 const solver::PlanRequest* request, const solver::PlanResult* planned);

// Predicted and simulated energy side by side (empty when nothing was measured).
void print_energy_comparison(std::ostream& out, const EnergyPrediction& predicted, const sim::ReplayResult& replay);
std::string energy_comparison_markdown(const EnergyPrediction& predicted, const sim::ReplayResult& replay);

} // namespace pipesplit::cli
