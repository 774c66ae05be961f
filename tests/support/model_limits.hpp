#pragma once
// The cases where the cost model's period is a lower bound rather than the simulated figure (README, "Where the
// replay and the model part ways"): the replay tests check these as bounds, the gap benchmark measures how far.

#include "cost/cost_model.hpp"
#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

namespace pipesplit::test {

using namespace pipesplit::cost;

// Stages sharing a device overlap freely when they fit its cores side by side, or when each uses every core (any one
// of them alone keeps the device busy). Otherwise a stage waiting for input leaves cores idle that the other cannot
// take (it has fewer threads), and the device's load in the cost model is only a lower bound.
bool cores_pack(const Problem& problem, const Placement& placement);

// A saturated link shared by transfers that have latency: while the largest transfer waits out its latency, the
// others, paced by the pipeline at one per period, have often already been sent, and the link idles.
bool saturated_link_with_latency(const Problem& problem, const Prediction& prediction);

// SimGrid 3.32 weights flows by their route latency (CM02's RTT-unfairness) even on FATPIPE links: of two flows
// crossing one together, the one with the longer route gets less than the full bandwidth.
bool fatpipe_with_unequal_latencies(const Problem& problem, const Prediction& prediction);

// An explicit closed-loop window is a lower bound (Little's law) that is exact only for a window of one.
bool small_window(const Problem& problem);

} // namespace pipesplit::test
