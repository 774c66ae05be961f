#pragma once
// Scenarios for the emulated trials, written at test time: device speeds are shares of this machine's measured
// core, so that the testbed can emulate them on any machine.

#include <filesystem>
#include <string>

namespace pipesplit::test {

struct TrialScenario {
  int hosts            = 2;
  double share         = 0.4;   // of this machine's core, each host
  double bandwidth_bps = 20e6;  // bit/s
  double machine_flops = 1e12;  // this machine's core, measured (or a stand-in to probe the model)
  std::string deployment;       // lines added to the deployment section (indented by two spaces, each ending in \n)
  bool one_shared_link = false; // every route over one SHARED link (a WiFi cell), not a SPLITDUPLEX link per pair
};

inline TrialScenario trial_scenario(int hosts, double share, double bandwidth_bps, double machine_flops = 1e12)
{
  TrialScenario t;
  t.hosts         = hosts;
  t.share         = share;
  t.bandwidth_bps = bandwidth_bps;
  t.machine_flops = machine_flops;
  return t;
}

// ResNet-18 at 64x64 pixels (blocks chain: 262,144 bytes after block 2, 32,768 after block 11, 4,000 out) on hosts
// h0..h{hosts-1}, each `share` of this machine's core, links of `bandwidth_bps`; source and sink on h0. Returns the
// scenario's path.
std::string write_trial_scenario(const std::filesystem::path& folder, const TrialScenario& scenario);

} // namespace pipesplit::test
