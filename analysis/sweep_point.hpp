#pragma once
// One point of a sweep: the base scenario with the point's axis values applied, solved, checked against the
// closed form, and simulated when sampled. The result is one CSV row with the columns of sweep_columns().

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/chain.hpp"
#include "core/model.hpp"
#include "core/platform.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "scenario/scenario.hpp"
#include "solver/objective_search.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

namespace pipesplit::analysis {

std::vector<std::string> sweep_columns(const SweepSpec& spec);

// The planning request of a sweep with a `plan` section at one point (the point's camera rate as the minimum rate
// unless the section gives one; the sweep's node limit), as `solve --objective` makes it.
solver::PlanRequest sweep_plan_request(const SweepSpec& spec, const Problem& problem);

struct PointFigures;

class SweepEvaluator {
public:
  explicit SweepEvaluator(const SweepSpec& spec); // loads the base scenario, platform and model: errors early
  std::vector<std::string> evaluate(size_t index);

private:
  const Scenario& scenario(const std::vector<AxisValue>& values);
  const Platform& platform(const std::string& file);
  const Model& model(const std::string& name, int resolution);
  const Chain& chain(const std::string& model_name, int resolution, ChainMode mode); // built once per key
  void simulate(const Problem& problem, const Placement& placement, PointFigures& figures) const;

  const SweepSpec& spec_;
  YAML::Node base_;
  std::vector<std::string> base_devices_;
  std::map<std::string, Scenario> scenarios_; // by the values of the axes that edit the scenario file
  std::map<std::string, Platform> platforms_;
  std::map<std::string, Model> models_;
  std::map<std::string, Chain> chains_;
};

} // namespace pipesplit::analysis
