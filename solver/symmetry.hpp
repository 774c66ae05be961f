#pragma once
// Interchangeable devices. Two allowed devices are interchangeable when swapping them maps the problem onto
// itself: same cores, speed, memory, profile and parallel fractions, neither is the source nor the sink, and the
// swap carries every route between the problem's hosts onto a route of the same shape, link for link, through a
// consistent one-to-one map of links with equal bandwidth, latency and sharing. Then any placement can be relabelled
// to use the members of a class in index order, so solvers may explore that order only.

#include "cost/problem.hpp"
#include "solver/layer.hpp"

#include <vector>

namespace pipesplit::solver {

// Same cores, speed, memory, profile, parallel fractions and op efficiencies: a stage takes as long and fits alike.
bool same_device_figures(const HostInfo& a, const HostInfo& b);

// Class id per slot (index into problem.devices), classes numbered in order of first member.
std::vector<int> device_symmetry_classes(const Problem& problem);

} // namespace pipesplit::solver
