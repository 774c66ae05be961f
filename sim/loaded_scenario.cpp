#include "sim/loaded_scenario.hpp"
#include "core/error.hpp"
#include "models/model_file.hpp"
#include "sim/platform_loader.hpp"

namespace pipesplit::sim {

LoadedScenario load_scenario(const std::string& path)
{
  return load_scenario(read_scenario(path));
}

LoadedScenario load_scenario(Scenario scenario, const std::function<void(Platform&)>& adjust_platform)
{
  LoadedScenario loaded;
  loaded.scenario = std::move(scenario);
  try {
    loaded.model = load_model(loaded.scenario.model, loaded.scenario.model_resolution);
  } catch (const InputError& e) {
    throw InputError(loaded.scenario.where("model"), "model", e.what());
  }
  Platform platform = load_platform_view(loaded.scenario.platform_file);
  if (adjust_platform) {
    adjust_platform(platform);
    platform.finalize();
  }
  loaded.problem = make_problem(loaded.scenario, std::move(platform), loaded.model);
  return loaded;
}

void override_network(LoadedScenario& loaded, const std::string& network)
{
  if (network.empty())
    return;
  try {
    loaded.problem.deployment.network = parse_network_model(network);
  } catch (const std::invalid_argument& e) {
    throw InputError("command line", "--network", e.what());
  }
}

} // namespace pipesplit::sim
