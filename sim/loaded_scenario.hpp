#pragma once
// A scenario with everything it names loaded: the platform view (through SimGrid), the model and the problem.

#include "core/model.hpp"
#include "cost/problem.hpp"
#include "scenario/scenario.hpp"
#include "sim/layer.hpp"

#include <functional>
#include <string>

namespace pipesplit::sim {

struct LoadedScenario {
  Scenario scenario;
  Model model;
  Problem problem;
};

LoadedScenario load_scenario(const std::string& path); // throws InputError

// A scenario already read; `adjust_platform`, when given, edits the platform view before the problem is made (the
// simulator follows the view's link figures, sim/replay.cpp).
LoadedScenario load_scenario(Scenario scenario, const std::function<void(Platform&)>& adjust_platform = {});

// The command line's --network, when given, replaces the scenario's network_model. Throws InputError naming it.
void override_network(LoadedScenario& loaded, const std::string& network);

} // namespace pipesplit::sim
