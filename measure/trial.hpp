#pragma once
// A hardware trial's measurements (YAML), to compare with the prediction (`pipesplit validate`):
//
//   format: pipesplit-trial/1
//   placement: "pi0:0-11,pi1:12-22"     # what was deployed (the scenario's chain indices)
//   throughput_ips: 8.2                 # inferences per second in steady state
//   latency_s: 0.31                     # optional: one input's latency
//   stages:                             # optional: measured compute seconds per input, by stage index
//     - {stage: 0, seconds: 0.118}
//   transfers:                          # optional: measured seconds per input of a transfer
//     - {from: pi0, to: pi1, seconds: 0.071}

#include "cost/cost_model.hpp"
#include "cost/problem.hpp"
#include "measure/layer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pipesplit::measure {

struct Trial {
  std::string file;
  Placement placement;
  std::optional<double> throughput_ips;
  std::optional<double> latency_s;
  std::vector<std::pair<int, double>> stage_seconds;          // (stage index, seconds)
  std::vector<std::tuple<int, int, double>> transfer_seconds; // (from host, to host, seconds)
};

Trial read_trial_file(const std::string& path, const Problem& problem); // throws InputError

struct Comparison {
  std::string figure; // "stage 0 (pi0) compute", "transfer pi0->pi1", "throughput", "latency"
  std::string unit;   // "s" or "inferences/s"
  std::string kind;   // "stage", "transfer", "throughput" or "latency": errors are aggregated per kind
  double predicted = 0;
  double measured  = 0;
  double relative_error() const { return (predicted - measured) / measured; }
};

// Every measured figure beside its prediction; throws InputError naming the trial file when a transfer does not
// exist in the placement.
std::vector<Comparison> compare_trial(const Trial& trial, const Problem& problem, const Prediction& prediction);

} // namespace pipesplit::measure
