#include "scenario/scenario.hpp"
#include "core/error.hpp"
#include "core/yaml_field.hpp"
#include "measure/calibration.hpp"
#include "models/zoo/zoo.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace pipesplit::scenario {

namespace fs = std::filesystem;

std::string Scenario::where(const std::string& field) const
{
  auto it = field_location.find(field);
  return it == field_location.end() ? file : it->second;
}

static std::string resolve_path(const std::string& base_file, const std::string& path)
{
  if (path.empty() || fs::path(path).is_absolute())
    return path;
  return (fs::path(base_file).parent_path() / path).lexically_normal().string();
}

template <typename Parse>
static auto parse_enum(const YamlField& field, Parse parse)
{
  try {
    return parse(field.as_string());
  } catch (const std::invalid_argument& e) {
    field.fail(e.what());
  }
}

// An integer within [minimum, maximum]; the bounds keep every count and product the cost model and the simulator
// make from it far from overflow.
static int positive_int(const YamlField& field, int minimum, int maximum = 1'000'000'000)
{
  const int64_t value = field.as_int();
  if (value < minimum || value > maximum)
    field.fail(fmt::format("must be an integer within {}..{}, got {}", minimum, maximum, value));
  return static_cast<int>(value);
}

// Limits of what a scenario may ask, each far beyond any deployment it describes: a camera faster than 1 MHz, an
// input larger than 16384 pixels a side, or a run of more than 1e8 results is a typo, and would overflow tensor sizes
// or run for days.
constexpr double max_source_rate_hz = 1e6;
constexpr int max_model_resolution  = 16384;
constexpr int max_simulated_results = 100'000'000;

static void parse_deployment(const YamlField& node, Scenario& scenario)
{
  node.expect_keys({"threads", "max_cuts", "device_reuse", "queue_depth", "queue_policy", "network_model",
                    "source_rate_hz", "window", "parallel_fraction"});
  Deployment& d = scenario.deployment;
  if (node.has("threads")) {
    const YamlField threads = node["threads"];
    if (threads.as_string() == "auto")
      d.threads_auto = true;
    else
      d.threads = positive_int(threads, 1);
  }
  if (node.has("max_cuts"))
    d.max_cuts = positive_int(node["max_cuts"], 0);
  if (node.has("device_reuse"))
    d.device_reuse = node["device_reuse"].as_bool();
  if (node.has("queue_depth"))
    d.queue_depth = positive_int(node["queue_depth"], 1);
  if (node.has("queue_policy"))
    d.queue_policy = parse_enum(node["queue_policy"], parse_queue_policy);
  if (node.has("network_model"))
    d.network = parse_enum(node["network_model"], parse_network_model);
  if (node.has("source_rate_hz")) {
    d.source_rate_hz = node["source_rate_hz"].as_double();
    if (!(d.source_rate_hz >= 0 && d.source_rate_hz <= max_source_rate_hz))
      node["source_rate_hz"].fail(
          fmt::format("must be within 0..{:g} Hz (0: closed loop), got {:g}", max_source_rate_hz, d.source_rate_hz));
  }
  if (node.has("window"))
    d.window = positive_int(node["window"], 1);
  if (d.queue_policy == QueuePolicy::DropOldest && d.source_rate_hz <= 0)
    node["queue_policy"].fail(
        "drop-oldest is the policy of a live feed and needs a camera rate (source_rate_hz > 0): a closed loop sends an "
        "input only when the pipeline has room for it, use block");
  if (node.has("parallel_fraction")) {
    const YamlField fractions = node["parallel_fraction"];
    for (const auto& op : fractions.keys()) {
      const double p = fractions[op].as_double();
      if (p < 0 || p > 1)
        fractions[op].fail(fmt::format("a parallel fraction is within [0, 1], got {}", p));
      scenario.parallel_fraction[op] = p;
    }
  }
}

static void parse_simulation(const YamlField& node, SimulationOptions& simulation)
{
  node.expect_keys({"inferences", "warmup", "seed"});
  if (node.has("inferences"))
    simulation.inferences = positive_int(node["inferences"], 1, max_simulated_results);
  if (node.has("warmup"))
    simulation.warmup = positive_int(node["warmup"], 0, max_simulated_results);
  if (node.has("seed"))
    simulation.seed = static_cast<uint64_t>(positive_int(node["seed"], 0));
}

Scenario parse_scenario(const YAML::Node& document, const std::string& path)
{
  const YamlField root(document, path);
  if (!root.is_map())
    root.fail("a scenario is a mapping (see the README's scenario format)");
  root.expect_keys({"name", "description", "platform", "model", "model_resolution", "calibration", "chain", "devices",
                    "source", "sink", "deployment", "simulation"});
  Scenario s;
  s.file = path;
  s.name = root.has("name") ? root["name"].as_string() : fs::path(path).stem().string();
  if (root.has("description"))
    s.description = root["description"].as_string();
  s.platform_file              = resolve_path(path, root["platform"].as_string());
  s.field_location["platform"] = root["platform"].where();
  const std::string model      = root["model"].as_string();
  s.model                      = find_zoo_model(model) ? model : resolve_path(path, model);
  s.field_location["model"]    = root["model"].where();
  if (root.has("model_resolution")) {
    s.model_resolution                   = positive_int(root["model_resolution"], 1, max_model_resolution);
    s.field_location["model_resolution"] = root["model_resolution"].where();
  }
  if (root.has("calibration")) {
    s.calibration_file              = resolve_path(path, root["calibration"].as_string());
    s.field_location["calibration"] = root["calibration"].where();
  }
  if (root.has("chain"))
    s.chain = parse_enum(root["chain"], parse_chain_mode);
  if (root.has("devices")) {
    s.devices                   = root["devices"].as_string_list();
    s.field_location["devices"] = root["devices"].where();
    if (s.devices.empty())
      root["devices"].fail("list at least one device");
  }
  for (const char* key : {"source", "sink"})
    if (root.has(key)) {
      (std::string(key) == "source" ? s.source : s.sink) = root[key].as_string();
      s.field_location[key]                              = root[key].where();
    }
  if (root.has("deployment"))
    parse_deployment(root["deployment"], s);
  if (root.has("simulation"))
    parse_simulation(root["simulation"], s.simulation);
  return s;
}

std::vector<InputFile> scenario_input_files(const Scenario& scenario)
{
  std::vector<InputFile> files{hashed_input("scenario", scenario.file),
                               hashed_input("platform", scenario.platform_file)};
  if (!find_zoo_model(scenario.model))
    files.push_back(hashed_input("model", scenario.model));
  if (!scenario.calibration_file.empty())
    files.push_back(hashed_input("calibration", scenario.calibration_file));
  return files;
}

Scenario read_scenario(const std::string& path)
{
  return parse_scenario(YamlField::load_file(path).node(), path);
}

// What the scenario asks of the devices it may use: a thread count some device can run (on a device with fewer
// cores a stage uses them all, as the README says; more threads than every device has is a mistake), and a measured
// profile the model carries when a host names one (else its figures would silently be FLOP-based).
static void check_devices(const Scenario& scenario, const Problem& problem, const Model& model)
{
  int most_cores = 0;
  for (int device : problem.devices)
    most_cores = std::max(most_cores, problem.platform.hosts[device].cores);
  if (problem.deployment.threads && *problem.deployment.threads > most_cores)
    throw InputError(scenario.where("deployment.threads"), "deployment.threads",
                     fmt::format("{} threads per stage, but no device has more than {} cores",
                                 *problem.deployment.threads, most_cores));
  for (int device : problem.devices) {
    const HostInfo& host = problem.platform.hosts[device];
    if (!host.profile.empty() && !model.profiles.count(host.profile)) {
      std::string carried;
      for (const auto& [name, measurements] : model.profiles)
        carried += (carried.empty() ? "" : ", ") + name;
      throw InputError(problem.platform.file, "host " + host.name + " property profile",
                       fmt::format("names profile '{}', which model {} does not carry ({}); import it with `pipesplit "
                                   "model profile` or remove the property",
                                   host.profile, model.name,
                                   carried.empty() ? "it carries none" : "it carries " + carried));
    }
  }
}

Problem make_problem(const Scenario& scenario, Platform platform, const Model& model)
{
  Chain chain = build_chain(model, scenario.chain);
  return make_problem(scenario, std::move(platform), model, std::move(chain));
}

Problem make_problem(const Scenario& scenario, Platform platform, const Model& model, Chain chain)
{
  Problem problem;
  if (!scenario.calibration_file.empty())
    apply_calibration(read_calibration_file(scenario.calibration_file), platform, scenario.calibration_file);
  problem.platform   = std::move(platform);
  problem.chain      = std::move(chain);
  problem.deployment = scenario.deployment;
  for (const auto& [op, fraction] : scenario.parallel_fraction)
    problem.compute.parallel_fraction[op] = fraction;
  const Platform& p = problem.platform;
  if (scenario.devices.empty())
    for (size_t i = 0; i < p.hosts.size(); ++i)
      problem.devices.push_back(static_cast<int>(i));
  for (const auto& name : scenario.devices) {
    const int index = p.host_index(name, scenario.where("devices") + ": field 'devices'");
    if (std::find(problem.devices.begin(), problem.devices.end(), index) != problem.devices.end())
      throw InputError(scenario.where("devices"), "devices", fmt::format("'{}' is listed twice", name));
    problem.devices.push_back(index);
  }
  if (scenario.source)
    problem.source = p.host_index(*scenario.source, scenario.where("source") + ": field 'source'");
  if (scenario.sink)
    problem.sink = p.host_index(*scenario.sink, scenario.where("sink") + ": field 'sink'");
  check_devices(scenario, problem, model);
  // Every pair that may exchange data needs a route.
  std::vector<int> endpoints = problem.devices;
  for (auto end : {problem.source, problem.sink})
    if (end)
      endpoints.push_back(*end);
  for (int a : endpoints)
    for (int b : endpoints)
      if (a != b && !p.routes.at(a).at(b))
        throw InputError(scenario.file, "platform",
                         fmt::format("{} has no route from {} to {}", p.file, p.hosts[a].name, p.hosts[b].name));
  return problem;
}

} // namespace pipesplit::scenario
