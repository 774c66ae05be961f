#pragma once
// `pipesplit worker`: serves one stage of a trial. It accepts the controller's control connection, takes its
// assignment (block range, threads, next hop), connects to the next hop and accepts the previous one, then for every
// input: receives the tensor, runs the stage, and hands the result to a sender thread (a one-slot send queue: it
// computes input i + 1 while result i is on the wire, as the simulator's stages do). At the end it reports each
// input's timestamps (receive, compute, send: start and end, CLOCK_MONOTONIC seconds) to the controller.

#include "core/chain.hpp"
#include "core/model.hpp"
#include "trial/layer.hpp"
#include "trial/protocol.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace pipesplit::trial {

struct StageTimes {
  long long input      = 0;
  double receive_start = 0, receive_end = 0, compute_start = 0, compute_end = 0, send_start = 0, send_end = 0;
  double compute_cpu_s = 0; // CPU time the compute took (the stage's thread), against its wall time above
};
nlohmann::json to_json(const std::vector<StageTimes>& times);
std::vector<StageTimes> stage_times_from_json(const nlohmann::json& json);

double monotonic_seconds();  // the clock every timestamp of a trial uses
double thread_cpu_seconds(); // CPU time of the calling thread

// Serves one trial with connections from `acceptor`; returns when the trial has ended, throws ProtocolError (or
// what the stage throws) when it fails, after telling the controller when it still can.
// `pace_share` (emulated devices; 0 on a board): each compute lasts at least its CPU time / pace_share of wall time.
// A CFS quota alone makes a stage slower only on average over its periods: a compute that starts with the period's
// quota unspent runs at full speed until it is gone, so a stage that waits between inputs computes up to one period
// faster than the device it emulates (measured: 14 ms instead of 27 ms at 0.19 core). Pacing each compute to the
// share makes the emulated core as slow per input as the device; the quota still bounds the device's whole use.
void serve_trial(tcp::acceptor& acceptor, const Model& model, const Chain& chain, double pace_share = 0);

} // namespace pipesplit::trial
