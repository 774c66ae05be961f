#pragma once
// The trial's calibrated prediction: every chain block timed on this machine's core at one thread (the executor's
// per-layer timing of `pipesplit profile`, scaled to the whole run's CPU time), and each emulated device's
// measured profile derived from those times divided by the device's CPU share (the testbed paces each stage's
// compute to its CPU time / that share).

#include "core/chain.hpp"
#include "core/model.hpp"
#include "cost/problem.hpp"
#include "trial/layer.hpp"

#include <map>
#include <string>
#include <vector>

namespace pipesplit::trial {

// Per block of `chain`: its share of the whole chain's median CPU seconds on one core of this machine, one thread,
// as its layers' median seconds say, measured in a child process (`repeats` runs of the whole chain after a warm-up).
std::vector<double> measure_block_seconds(const Model& model, const Chain& chain, int repeats = 5);

// The profile name a calibrated device gets: "trial:<host>".
std::string calibrated_profile_name(const std::string& host);

// `problem` with every host of `cpu_share_by_host` (host index -> share of one core) given the profile
// "trial:<host>" whose block times are block_seconds / share, at one thread.
Problem calibrated_problem(const Problem& problem, const std::vector<double>& block_seconds,
                           const std::map<int, double>& cpu_share_by_host);

} // namespace pipesplit::trial
