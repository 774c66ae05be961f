#pragma once
// The acceleration region: when does partitioning a DNN over several devices beat running it on the best single
// device, and by how much at most? Derivation and proofs in docs/acceleration-region.md. The setting is the paper's
// (no input or output transfer: the source and sink are ignored), extended with link latency, any thread model,
// heterogeneous devices and shared media: every figure below comes from the cost model's own block times and
// transfer costs, so the statements hold exactly for it.
//
//   T*        best single-device period, min over devices i of T_i (T_i: the whole chain on i);
//   tau(k,a,b) the sender's time for the cut after block k from a to b (latency + bytes / rate, under the network
//             model), which also bounds every link load of that transfer;
//   two-way   the best placement with one cut: min over k, a != b of max(T_a[0..k], T_b[k+1..], link loads, tau).
//
// Verdicts:
//  - helps_two_way: some one-cut placement beats T* (a sufficient condition, exact for two devices);
//  - network_allows: some cut with work on both sides can be sent faster than T* (a necessary condition);
//  - for identical devices (any number, any cut limit, reuse or not) the two coincide: partitioning helps iff one
//    cut does (theorem 2);
//  - speedup_bound: no placement does better than
//      min( sum_i (T* / T_i)             -- all devices' capacity together, relative to the best one,
//           T* / max_k min_i t_k(i)      -- the largest block runs whole somewhere,
//           T* / tau_min )               -- at least one cut is sent (if the placement has one).

#include "analysis/layer.hpp"
#include "cost/problem.hpp"
#include "solver/search_space.hpp"

namespace pipesplit::analysis {

struct RegionVerdict {
  double single_period   = 0; // T*
  int single_device      = -1;
  double two_way_period  = 0; // best one-cut placement (infinity if none)
  double two_way_speedup = 0; // T* / two_way_period
  bool helps_two_way     = false;
  bool network_allows    = false;
  double speedup_bound   = 1; // >= 1: the single device is always a placement
  double tau_min         = 0; // cheapest cut with work on both sides (infinity if none)
};

RegionVerdict acceleration_region(const Problem& problem);
// The same on a search space already made of the problem (a sweep point makes one for all its questions).
RegionVerdict acceleration_region(const SearchSpace& space);

} // namespace pipesplit::analysis
