#pragma once
// Scenarios for the emulated trials, written at test time: device speeds are shares of this machine's measured
// core, so that the testbed can emulate them on any machine.

#include <filesystem>
#include <string>

namespace pipesplit::test {

// ResNet-18 at 64x64 pixels (blocks chain: 262,144 bytes after block 2, 32,768 after block 11, 4,000 out) on hosts
// h0..h{hosts-1}, each `share` of this machine's core (`machine_flops`), a SPLITDUPLEX link of `bandwidth_bps`
// (bit/s) between each pair; source and sink on h0; `deployment` adds lines to the deployment section (indented by
// two spaces, each ending in a newline). Returns the scenario's path.
std::string write_trial_scenario(const std::filesystem::path& folder, int hosts, double share, double bandwidth_bps,
                                 double machine_flops, const std::string& deployment = "");

} // namespace pipesplit::test
