// Trial benchmark: runs `pipesplit trial --emulate` on every shipped trial scenario (needs root) and prints, for
// each, the measured period, throughput and first and median latency beside the scenario's prediction, the
// calibrated prediction (the blocks timed on this machine's core / each device's CPU share) and the simulation of
// the calibrated model, with the measured errors against each; and the load average before and after. Figures depend on
// the machine and its load: read them, never assert them.

#include "cli/command.hpp"
#include "exec/timing.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct ShippedTrial {
  std::string scenario;
  std::string placement;
};

const std::vector<ShippedTrial> shipped{
    {"scenarios/trial_mobilenet_v2_network.yaml", "cam:0-16,edge:17-71"},
    {"scenarios/trial_resnet18_compute.yaml", "cam:0-9,edge1:10-17,edge2:18-22"},
};

std::string cell(const nlohmann::json& value)
{
  return value.is_null() ? "-" : fmt::format("{:.4g}", value.get<double>());
}

bool summary_figure(const std::string& figure)
{
  return figure == "period" || figure == "throughput" || figure.rfind("latency, first", 0) == 0 ||
         figure.rfind("latency, median", 0) == 0;
}

// "simulated" simulates the scenario's model, "sim. cal." the calibrated one (the calibrated prediction's twin).
std::string table_line(const std::string& scenario, const nlohmann::json& row)
{
  const double measured = row.at("measured");
  const auto error      = [&](const nlohmann::json& reference) {
    return reference.is_null()
                    ? std::string("-")
                    : fmt::format("{:+.1f}%", 100 * (measured - reference.get<double>()) / reference.get<double>());
  };
  const auto& simulated = row.at("simulated_calibrated");
  return fmt::format("{:<28} {:<21} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", scenario,
                     row.at("figure").get<std::string>(), cell(row.at("predicted")), cell(row.at("calibrated")),
                     cell(row.at("simulated")), cell(simulated), cell(row.at("measured")), error(row.at("predicted")),
                     error(row.at("calibrated")), error(simulated));
}

} // namespace

int main()
{
  if (geteuid() != 0) {
    std::cerr << "trial_bench: needs root (the emulated testbed)\n";
    return 5;
  }
  const fs::path out = fs::temp_directory_path() / fmt::format("pipesplit_trial_bench_{}", getpid());
  fmt::print("load average before: {}\n", pipesplit::exec::load_average());
  std::string table =
      fmt::format("{:<28} {:<21} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "scenario", "figure", "predicted",
                  "calibrated", "simulated", "sim. cal.", "measured", "vs pred.", "vs calib.", "vs s.cal.");
  for (const auto& trial : shipped) {
    const auto dir = out / fs::path(trial.scenario).stem();
    const auto status =
        pipesplit::cli::trial_main({std::string(PIPESPLIT_SOURCE_DIR) + "/" + trial.scenario, "--placement",
                                    trial.placement, "--emulate", "--out", dir.string()});
    if (status != pipesplit::core::ExitStatus::Ok)
      return static_cast<int>(status);
    const auto result = nlohmann::json::parse(std::ifstream(dir / "result.json"));
    for (const auto& row : result.at("comparison"))
      if (summary_figure(row.at("figure")))
        table += table_line(result.at("scenario"), row);
  }
  fmt::print("\n{}load average after: {}\n", table, pipesplit::exec::load_average());
  fs::remove_all(out);
  return 0;
}
