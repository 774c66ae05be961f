#pragma once
// What SimGrid 3.32's ns-3 binding (network model ns3) can replay, checked before any work so that a user learns it
// at once rather than from an abort: routes of one link (longer ones are silently dropped), and transfers of at most
// 131072 bytes (larger ones abort the simulation with "total_bytes is not sent_bytes", plain SimGrid programs too).

#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "sim/layer.hpp"

namespace pipesplit::sim {

inline constexpr double ns3_max_transfer_bytes = 131072;

// Every transfer of the placement within the limits; throws InputError naming the hop.
void check_ns3_placement(const Problem& problem, const Placement& placement);

// Before a placement is known (solve, run): every transfer a placement may make (the input from the source, each
// cut, the result to the sink) within the size limit; throws InputError naming `where` and the largest.
void check_ns3_transfers(const Problem& problem, const std::string& where);

} // namespace pipesplit::sim
