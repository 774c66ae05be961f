#pragma once
// A scenario with everything it names loaded: the platform view (through SimGrid), the model and the problem.

#include "model.hpp"
#include "problem.hpp"
#include "scenario.hpp"

#include <string>

namespace pipesplit::cli {

struct LoadedScenario {
  Scenario scenario;
  Model model;
  Problem problem;
};

LoadedScenario load_scenario(const std::string& path); // throws InputError

} // namespace pipesplit::cli
