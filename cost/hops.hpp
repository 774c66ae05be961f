#pragma once
// The hops of a placement's pipeline, in order: hop 0 carries inputs from the source into stage 0, hop s the output
// of stage s - 1 into stage s, the last hop the last stage's results to the sink. The cost model, the schedule and
// the SimGrid replay all walk this one list.

#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

#include <vector>

namespace pipesplit::cost {

struct Hop {
  int from        = 0; // host indices; the source (or the first stage's device) for hop 0
  int to          = 0; // the sink (or the last stage's device) for the last hop
  int after_block = 0; // the cut after this block; -1: the model input; chain size - 1: the result
  double bytes    = 0; // what one input carries over it

  bool remote() const { return from != to; } // a hop within one host costs nothing
};

std::vector<Hop> pipeline_hops(const Problem& problem, const Placement& placement);

} // namespace pipesplit::cost
