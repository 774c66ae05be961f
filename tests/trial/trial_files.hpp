#pragma once
// Scenarios for the emulated trials, written at test time: device speeds are shares of this machine's measured
// core, so that the testbed can emulate them on any machine.

#include <filesystem>
#include <string>
#include <vector>

namespace pipesplit::test {

struct TrialLayer {
  double compute_s; // at the device speed
  double output_bytes;
};

// Hosts h0..h{n-1} with `share` of this machine's core each, a SPLITDUPLEX link of `bandwidth_bps` (bit/s) between
// each pair, a chain of `layers` (layer i is "l<i>"), source and sink on h0. Returns the scenario's path.
std::string write_trial_scenario(const std::filesystem::path& folder, int hosts, double share, double bandwidth_bps,
                                 double input_bytes, const std::vector<TrialLayer>& layers, double machine_flops);

} // namespace pipesplit::test
