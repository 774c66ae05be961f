#pragma once
// When the closed form (cost_model.hpp) is the schedule (pipeline_schedule.hpp) under the ideal network model. The
// closed form takes each resource's load as if its activities never met; the schedule plays them out. They agree
// when nothing meets: then the pipeline is a line of stations each with one deterministic activity per input, whose
// period is the largest load and whose first input crosses it idle. Everything else is played out.

#include "cost/cost_model.hpp"
#include "cost/layer.hpp"
#include "cost/placement.hpp"
#include "cost/problem.hpp"

namespace pipesplit::cost {

// False (play the schedule) when any of these holds:
//  - a link carries two crossings per input (two hops, or one hop both ways): they may share it at a phase only the
//    schedule knows, and SimGrid weights flows by route latency even on FATPIPE links;
//  - a device hosts two stages: they share its cores when both run;
//  - a closed loop with an explicit window over one input (Little's law is then only a lower bound);
//  - a camera at least as fast as the pipeline's slowest resource: its inputs queue (block) or drop (drop-oldest),
//    which sets the latency.
// True means the schedule's period and first latency equal the closed form's (tested on random instances).
bool closed_form_is_exact(const Problem& problem, const Placement& placement, const Prediction& prediction);

} // namespace pipesplit::cost
