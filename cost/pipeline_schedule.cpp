#include "cost/pipeline_schedule.hpp"
#include "core/quantile.hpp"
#include "cost/closed_form_exactness.hpp"
#include "cost/hops.hpp"
#include "cost/max_min_sharing.hpp"
#include "cost/measurement_window.hpp"
#include "cost/network_cost.hpp"
#include "cost/run_length.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>

namespace pipesplit::cost {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

struct Input {
  long long id      = 0;
  double emitted_at = 0;
};

// A hop of the pipeline (hops.hpp) with what its transfers cost: hop h carries inputs into stage h, the last one into
// the sink.
struct ScheduledHop {
  Hop hop;
  TransferCost cost;
  SharingVariable flow; // its transfers in the links' max-min sharing
};

struct Transfer {
  Input input;
  double latency_left = 0; // seconds
  double bytes_left   = 0;
  double rate         = 0; // bytes/s, once the latency is paid
};

struct Execution {
  Input input;
  double solo_seconds_left = 0; // seconds the rest would take with the device to itself
  double rate              = 0; // solo seconds per second
};

// A transfer as SimGrid's max-min solver sees it. On a SHARED link its weight adds up over the crossings and the
// acknowledgements; on a FATPIPE link SimGrid keeps the largest of them (1 if the data crosses it).
SharingVariable sharing_variable(const Platform& platform, const TransferCost& cost, const Route& route)
{
  SharingVariable flow{cost.penalty, cost.rate_bound_Bps, {}};
  for (const LinkUse& use : cost.uses) {
    const bool forward = std::find(route.links.begin(), route.links.end(), use.link) != route.links.end();
    const bool fatpipe = platform.links[use.link].sharing == Sharing::FatPipe;
    flow.elements.push_back({use.link, fatpipe ? (forward ? 1.0 : use.weight) : use.weight});
  }
  return flow;
}

class Schedule {
public:
  Schedule(const Problem& problem, const Placement& placement, const Prediction& prediction,
           const ScheduleOptions& options);
  ScheduleResult play();

private:
  void settle();
  bool step_source();
  bool step_stage(size_t s);
  bool step_sink();
  bool try_send(size_t hop);
  void share();
  double next_event() const;
  void advance(double dt);
  void deliver(const Input& input);

  const Problem& problem_;
  const Placement& placement_;
  const Prediction& prediction_;
  const ScheduleOptions& options_;
  size_t stages_;
  bool blocking_;
  bool closed_loop_;
  RunLength run_length_;
  bool source_continues_ = true; // decided when the previous input was handed over, as the replay's source does

  std::vector<ScheduledHop> hops_;
  std::vector<SharingConstraint> links_;
  double now_ = 0;
  std::vector<std::optional<Transfer>> in_flight_; // per hop: one send at a time
  std::vector<std::deque<Input>> arrived_;         // per hop: in the receiver's mailbox, not taken yet
  std::vector<std::optional<Input>> outgoing_;     // per hop: held by its sender until it may send
  std::vector<int> credits_;                       // per stage hop: free slots of the receiving queue
  std::vector<std::optional<Execution>> running_;  // per stage
  long long next_input_ = 0;
  int window_free_      = 0;

  ScheduleResult result_;
  MeasurementWindow measured_;
};

Schedule::Schedule(const Problem& problem, const Placement& placement, const Prediction& prediction,
                   const ScheduleOptions& options)
    : problem_(problem), placement_(placement), prediction_(prediction), options_(options),
      run_length_(problem, prediction, options.warmup, options.inferences),
      measured_(options.warmup, options.inferences)
{
  stages_      = placement.stages.size();
  blocking_    = problem.deployment.queue_policy == QueuePolicy::Block;
  closed_loop_ = problem.deployment.source_rate_hz <= 0;
  window_free_ = problem.closed_loop_window(static_cast<int>(stages_));

  for (const Hop& hop : pipeline_hops(problem, placement)) {
    ScheduledHop scheduled{hop, {}, {}};
    if (hop.remote()) {
      scheduled.cost = transfer_cost(problem.platform, problem.deployment.network, hop.from, hop.to);
      scheduled.flow = sharing_variable(problem.platform, scheduled.cost, problem.platform.route(hop.from, hop.to));
    }
    hops_.push_back(scheduled);
  }
  for (const auto& link : problem.platform.links)
    links_.push_back({link.bandwidth_Bps, link.sharing == Sharing::FatPipe});
  in_flight_.resize(hops_.size());
  arrived_.resize(hops_.size());
  outgoing_.resize(hops_.size());
  credits_.assign(stages_, problem.deployment.queue_depth);
  running_.resize(stages_);
}

bool Schedule::try_send(size_t h)
{
  if (!outgoing_[h] || in_flight_[h])
    return false;
  const bool needs_credit = blocking_ && h < stages_;
  if (needs_credit && credits_[h] == 0)
    return false;
  if (needs_credit)
    --credits_[h];
  const ScheduledHop& scheduled = hops_[h];
  if (scheduled.hop.remote())
    in_flight_[h] = Transfer{*outgoing_[h], scheduled.cost.latency_s, scheduled.hop.bytes, 0};
  else
    arrived_[h].push_back(*outgoing_[h]);
  outgoing_[h].reset();
  if (h == 0)
    source_continues_ = run_length_.more_inputs(next_input_, measured_.delivered());
  return true;
}

bool Schedule::step_source()
{
  if (outgoing_[0])
    return try_send(0);
  if (!source_continues_)
    return false;
  if (closed_loop_) {
    if (window_free_ == 0)
      return false;
    --window_free_;
    outgoing_[0] = Input{next_input_, now_};
  } else {
    const double due = static_cast<double>(next_input_) / problem_.deployment.source_rate_hz;
    if (due > now_)
      return false;
    outgoing_[0] = Input{next_input_, due};
  }
  ++next_input_;
  ++result_.emitted;
  try_send(0);
  return true;
}

bool Schedule::step_stage(size_t s)
{
  if (running_[s])
    return false;
  if (outgoing_[s + 1]) // computed, waiting to send
    return try_send(s + 1);
  auto& queue = arrived_[s];
  if (!blocking_) // drop-oldest: of the inputs that arrived while the stage was busy, keep the newest queue_depth
    while (queue.size() > static_cast<size_t>(problem_.deployment.queue_depth)) {
      queue.pop_front();
      ++result_.dropped;
    }
  if (queue.empty())
    return false;
  const Input input = queue.front();
  queue.pop_front();
  if (blocking_)
    ++credits_[s];
  running_[s] = Execution{input, prediction_.stages[s].compute_s, 0};
  return true;
}

bool Schedule::step_sink()
{
  auto& queue = arrived_[stages_];
  if (queue.empty())
    return false;
  for (const Input& input : queue)
    deliver(input);
  queue.clear();
  return true;
}

void Schedule::deliver(const Input& input)
{
  if (input.id == 0)
    result_.first_latency_s = now_ - input.emitted_at;
  if (closed_loop_)
    ++window_free_;
  measured_.deliver(now_, input.emitted_at);
}

// Everything that happens at this instant: inputs taken, computed inputs sent, results delivered, until nothing moves.
void Schedule::settle()
{
  bool moved = true;
  while (moved) {
    moved = step_source();
    for (size_t s = 0; s < stages_; ++s)
      moved = step_stage(s) || moved;
    moved = step_sink() || moved;
  }
}

// Rates of every running execution and transfer: cores shared in proportion to threads (SimGrid's Cas01 CPU), links
// by weighted max-min.
void Schedule::share()
{
  std::vector<int> threads(problem_.platform.hosts.size(), 0);
  for (size_t s = 0; s < stages_; ++s)
    if (running_[s])
      threads[placement_.stages[s].device] += placement_.stages[s].threads;
  for (size_t s = 0; s < stages_; ++s)
    if (running_[s]) {
      const int device  = placement_.stages[s].device;
      running_[s]->rate = std::min(1.0, static_cast<double>(problem_.host(device).cores) / threads[device]);
    }

  std::vector<SharingVariable> variables;
  std::vector<size_t> hop_of;
  for (size_t h = 0; h < hops_.size(); ++h)
    if (in_flight_[h] && in_flight_[h]->latency_left <= 0) {
      variables.push_back(hops_[h].flow);
      hop_of.push_back(h);
    }
  const std::vector<double> rates = max_min_rates(links_, variables);
  for (size_t v = 0; v < variables.size(); ++v)
    in_flight_[hop_of[v]]->rate = rates[v] * hops_[hop_of[v]].cost.rate_factor;
}

double Schedule::next_event() const
{
  double dt = infinity;
  for (const auto& transfer : in_flight_)
    if (transfer)
      dt = std::min(dt, transfer->latency_left > 0 ? transfer->latency_left : transfer->bytes_left / transfer->rate);
  for (const auto& execution : running_)
    if (execution)
      dt = std::min(dt, execution->solo_seconds_left / execution->rate);
  if (!closed_loop_ && !outgoing_[0] && source_continues_)
    dt = std::min(dt, static_cast<double>(next_input_) / problem_.deployment.source_rate_hz - now_);
  return dt;
}

void Schedule::advance(double dt)
{
  now_ += dt;
  // An activity ends when what is left is a rounding error of what it had (1e-9 of it).
  for (size_t h = 0; h < hops_.size(); ++h) {
    auto& transfer = in_flight_[h];
    if (!transfer)
      continue;
    if (transfer->latency_left > 0) {
      transfer->latency_left -= dt;
      if (transfer->latency_left <= 1e-9 * hops_[h].cost.latency_s)
        transfer->latency_left = 0;
      continue;
    }
    transfer->bytes_left = std::isinf(transfer->rate) ? 0 : transfer->bytes_left - transfer->rate * dt;
    if (transfer->bytes_left <= 1e-9 * hops_[h].hop.bytes) {
      arrived_[h].push_back(transfer->input);
      transfer.reset();
    }
  }
  for (size_t s = 0; s < stages_; ++s) {
    auto& execution = running_[s];
    if (!execution)
      continue;
    execution->solo_seconds_left -= execution->rate * dt;
    if (execution->solo_seconds_left <= 1e-9 * prediction_.stages[s].compute_s) {
      outgoing_[s + 1] = execution->input;
      execution.reset();
    }
  }
}

ScheduleResult Schedule::play()
{
  settle();
  while (source_continues_ || outgoing_[0] || measured_.delivered() + result_.dropped < result_.emitted) {
    share();
    const double dt = next_event();
    if (dt == infinity) {
      result_.stalled = true;
      break;
    }
    advance(std::max(dt, 0.0));
    settle();
  }
  measured_.close(now_);
  result_.delivered = measured_.delivered();
  if (measured_.measured() > 0) {
    result_.period_s      = measured_.period_s();
    result_.latency_p50_s = quantile(measured_.latencies(), 0.5);
  }
  return result_;
}

} // namespace

ScheduleResult play_schedule(const Problem& problem, const Placement& placement, const Prediction& prediction,
                             const ScheduleOptions& options)
{
  return Schedule(problem, placement, prediction, options).play();
}

Prediction predict_with_contention(const Problem& problem, const Placement& placement, Prediction closed_form,
                                   const ScheduleOptions& options)
{
  if (problem.deployment.network == NetworkModel::Ns3 || closed_form_is_exact(problem, placement, closed_form))
    return closed_form;
  const ScheduleResult schedule = play_schedule(problem, placement, closed_form, options);
  if (schedule.stalled || schedule.period_s <= 0)
    return closed_form;
  Prediction out = closed_form;
  out.loads.push_back({ResourceKind::Schedule, "competing transfers and stages", schedule.period_s});
  // The schedule ties with the closed form, to rounding, wherever nothing competes: only more is contention.
  if (schedule.period_s > out.bottleneck.load_s * (1 + 1e-9)) {
    out.bottleneck     = out.loads.back();
    out.period_s       = schedule.period_s;
    out.throughput_ips = 1.0 / out.period_s;
  }
  out.latency_s        = schedule.first_latency_s;
  out.steady_latency_s = schedule.latency_p50_s;
  return out;
}

} // namespace pipesplit::cost
