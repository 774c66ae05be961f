#pragma once
// Device types for the DP over types (type_dynamic_programming.cpp): groups of allowed devices that a placement may
// exchange freely. Two devices are of one type when their figures are the same (same_device_figures), neither is
// the source nor the sink, and every transfer costs the same whichever members of the types it joins: for any two
// types T and U, every pair a in T, b in U (a != b) has a route of the same latency and bottleneck rate, and so has
// the source to every member of a type, and every member to the sink. The types are first the groups of equal
// figures; when their links differ, the devices' symmetry classes (which always meet the condition) instead.

#include "cost/network_cost.hpp"
#include "solver/layer.hpp"
#include "solver/search_space.hpp"

#include <string>
#include <vector>

namespace pipesplit::solver {

// A sender's time for a tensor: latency + bytes x seconds per byte (0, 0 when there is nothing to send).
struct TransferFigures {
  double latency_s        = 0;
  double seconds_per_byte = 0;
  double seconds(double bytes) const { return latency_s + bytes * seconds_per_byte; }
  bool operator==(const TransferFigures&) const = default;
};

struct DeviceTypes {
  std::vector<std::vector<int>> members;             // slots of each type, in index order
  std::vector<std::vector<TransferFigures>> between; // [from type][to type], between two distinct members
  std::vector<TransferFigures> from_source, to_sink; // per type; zero without a source or sink or on it
  std::string reason;                                // empty when the types meet the condition above, else why not
  int count() const { return static_cast<int>(members.size()); }
};

DeviceTypes device_types(const SearchSpace& space);

} // namespace pipesplit::solver
