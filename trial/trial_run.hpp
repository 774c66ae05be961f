#pragma once
// The trial's controller: it assigns the stages to their workers, feeds inputs from the source (closed loop with the
// deployment's window of inputs in flight, or at the camera rate), collects results at the sink, checks that every
// input arrives once and in order, and gathers every worker's timestamps.

#include "core/model.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "trial/layer.hpp"
#include "trial/worker.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace pipesplit::trial {

// Where the controller finds each party: a namespace to open its sockets in (empty: this one) and an address.
struct Reach {
  std::string netns;
  std::string address;
  int port = 0;
};

struct TrialLayout {
  std::vector<Reach> control;            // per stage: the worker's control endpoint, as the controller reaches it
  std::vector<std::string> data_address; // per stage: its address as the previous hop's device reaches it
  std::vector<int> data_port;            // per stage
  std::string source_netns;              // where the source's socket lives
  Reach sink;                            // where the sink listens (address: as the last stage's device reaches it)
};

struct TrialOptions {
  long long inputs               = 50;
  uint64_t seed                  = 1;
  double timeout_s               = 600;     // the whole run; past it the controller closes every connection and fails
  const std::atomic<bool>* abort = nullptr; // set from another thread (a worker failed): stop at once
};

struct TrialMeasurement {
  std::vector<double> sent_s;              // per input: when the source started sending it
  std::vector<double> delivered_s;         // per result: when the sink had all of it
  std::vector<long long> delivered_inputs; // per result: its input (every input under block; drop-oldest has gaps)
  std::vector<long long> dropped;          // per stage: inputs its queue dropped (drop-oldest)
  std::vector<std::vector<StageTimes>> stages;
  std::vector<double> hop_bytes; // tensor bytes received over each hop (hop 0 at stage 0, the last at the sink)
  uint64_t output_digest = 0;    // of every result in order
  long long dropped_total() const;
};

// Throws ProtocolError when a party fails or breaks the protocol, SimulationFailure when the run times out.
TrialMeasurement run_trial(const Model& model, const Problem& problem, const Placement& placement,
                           const TrialLayout& layout, const TrialOptions& options);

// The digest the sink must see: every input of `inputs` (in order) through the whole chain in this process.
uint64_t unpartitioned_digest(const Model& model, const Chain& chain, const std::vector<long long>& inputs,
                              uint64_t seed);

} // namespace pipesplit::trial
