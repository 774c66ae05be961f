#include "core/error.hpp"
#include "core/quantile.hpp"
#include "core/steady_state.hpp"
#include "cost/energy.hpp"
#include "cost/hops.hpp"
#include "cost/measurement_window.hpp"
#include "cost/network_cost.hpp"
#include "cost/run_length.hpp"
#include "sim/engine_arguments.hpp"
#include "sim/ns3_limits.hpp"
#include "sim/replay_engine.hpp"

#include <fmt/format.h>
#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <memory>

XBT_LOG_NEW_DEFAULT_CATEGORY(pipesplit_replay, "pipesplit: the pipelined replay");
XBT_LOG_NEW_CATEGORY(pipesplit_wall, "pipesplit: wall-clock figures of the replay (vary from run to run)");

namespace sg4 = simgrid::s4u;

namespace pipesplit::sim {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

struct Item {
  long long id; // -1: end of stream
  double emitted_at;
};
// Items travel through SimGrid's mailboxes as raw pointers: released into put_async, owned again on receipt.
using ItemPtr = std::unique_ptr<Item>;

ItemPtr receive(sg4::Mailbox* inbox)
{
  return ItemPtr(inbox->get<Item>());
}

// One hop of the pipeline (cost/hops.hpp) as the actors play it: its mailbox, the links it crosses, its lane.
struct ActorHop {
  sg4::Mailbox* to = nullptr;
  double bytes     = 0;              // 0 when both ends are on one host
  std::vector<int> links;            // indices into the platform view, one per crossing
  TransferCost cost;                 // its links' capacity used per byte (crossings, acknowledgements, rate factor)
  std::string lane;                  // timeline name
  sg4::Semaphore* credits = nullptr; // free slots of the receiving queue (blocking queues only)
};

class Replay {
public:
  Replay(const Problem& problem, const Placement& placement, const Prediction& prediction, const ReplayOptions& options)
      : problem_(problem), placement_(placement), prediction_(prediction), options_(options),
        run_length_(problem, prediction, options.warmup, options.inferences),
        measured_(options.warmup, options.inferences)
  {}

  ReplayResult run();

private:
  void source();
  void stage(size_t index);
  void sink();

  void build_hops();
  void start_actors();
  void summarise();
  ItemPtr take(sg4::Mailbox* inbox, std::deque<ItemPtr>& waiting, sg4::Semaphore* credits);
  void send(const ActorHop& hop, ItemPtr item, sg4::CommPtr& pending, long long& pending_input);
  void account_transfer(const ActorHop& hop, const sg4::Comm& comm, long long input);
  void account(ResourceUse& use, const std::string& lane, const std::string& kind, long long input, double start,
               double end, double busy, double bytes);
  void deliver(const Item& item);
  void report_progress();
  std::vector<double> energy_now() const;
  void switch_off_idle_hosts();
  void summarise_energy();

  const Problem& problem_;
  const Placement& placement_;
  const Prediction& prediction_;
  const ReplayOptions& options_;

  std::vector<ActorHop> hops_; // hops_[s]: into stage s; hops_.back(): into the sink
  std::vector<sg4::SemaphorePtr> credits_;
  sg4::SemaphorePtr window_;
  sg4::Mailbox* sink_inbox_ = nullptr;
  RunLength run_length_;
  bool closed_loop_ = true;

  ReplayResult result_;
  MeasurementWindow measured_;
  double timeline_end_ = infinity;                      // the timeline shows five periods from the window's start
  std::chrono::steady_clock::time_point last_progress_; // of the last progress report
  std::vector<ResourceUse> devices_;                    // per stage device, by host index
  std::vector<ResourceUse> links_;                      // per platform link
  bool energy_ = false;                                 // the energy plugins are on
  std::vector<double> energy_at_start_, energy_at_end_; // per host, then per link, at the window's ends
};

// A link or host that fails (a state profile in the platform) stops the actor that uses it, as a crashed process
// would: the rest of the pipeline stalls, and the run ends with fewer results than expected.
void survive_failures(const std::function<void()>& body)
{
  try {
    body();
  } catch (const simgrid::NetworkFailureException& e) {
    XBT_WARN("%s stops: a transfer failed (%s)", sg4::this_actor::get_cname(), e.what());
  } catch (const simgrid::HostFailureException& e) {
    XBT_WARN("%s stops: its host failed (%s)", sg4::this_actor::get_cname(), e.what());
  }
}

ItemPtr Replay::take(sg4::Mailbox* inbox, std::deque<ItemPtr>& waiting, sg4::Semaphore* credits)
{
  if (credits) { // blocking queue: the sender held a slot until now
    ItemPtr item = receive(inbox);
    credits->release();
    return item;
  }
  // Drop-oldest: of the inputs that arrived while this stage was busy, only the newest queue_depth are still queued
  // (the end-of-stream mark, always last, takes no room).
  while (inbox->ready())
    waiting.push_back(receive(inbox));
  const auto depth = static_cast<size_t>(problem_.deployment.queue_depth);
  auto queued      = [&waiting] { return waiting.size() - (!waiting.empty() && waiting.back()->id < 0 ? 1 : 0); };
  while (queued() > depth) {
    waiting.pop_front();
    ++result_.dropped;
  }
  if (waiting.empty())
    waiting.push_back(receive(inbox));
  ItemPtr item = std::move(waiting.front());
  waiting.pop_front();
  return item;
}

void Replay::account(ResourceUse& use, const std::string& lane, const std::string& kind, long long input, double start,
                     double end, double busy, double bytes)
{
  if (start >= measured_.start_s() && start < timeline_end_ && !lane.empty())
    result_.timeline.push_back(TimelineEvent{lane, kind, input, start, end});
  const double from = std::max(start, measured_.start_s());
  const double to   = std::min(end, measured_.end_s());
  if (to <= from)
    return;
  const double share = end > start ? (to - from) / (end - start) : 1.0; // the part of the activity in the window
  use.busy_s += busy * share;
  use.bytes += bytes * share;
}

void Replay::account_transfer(const ActorHop& hop, const sg4::Comm& comm, long long input)
{
  const double start = comm.get_start_time();
  const double end   = comm.get_finish_time();
  if (hop.bytes > 0 && start >= measured_.start_s() && start < timeline_end_)
    result_.timeline.push_back(TimelineEvent{hop.lane, "transfer", input, start, end});
  // Busy: the share of the link's capacity the transfer used, as the cost model's link loads count it. Bytes: the
  // data that crossed it.
  const auto& links = problem_.platform.links;
  for (const LinkUse& use : hop.cost.uses)
    account(links_[use.link], "", "transfer", input, start, end,
            hop.bytes * use.weight / (hop.cost.rate_factor * links[use.link].bandwidth_Bps), 0);
  for (int link : hop.links)
    account(links_[link], "", "transfer", input, start, end, 0, hop.bytes);
}

// Hand an item to the next hop through the one-slot send queue: wait for the previous send, take a slot in the
// receiver's queue, start this send.
void Replay::send(const ActorHop& hop, ItemPtr item, sg4::CommPtr& pending, long long& pending_input)
{
  if (pending) {
    pending->wait();
    account_transfer(hop, *pending, pending_input);
  }
  if (hop.credits && item->id >= 0)
    hop.credits->acquire();
  pending_input      = item->id;
  const double bytes = item->id >= 0 ? hop.bytes : 0;
  pending            = hop.to->put_async(item.release(), static_cast<uint64_t>(bytes));
}

void Replay::source()
{
  const ActorHop& hop = hops_.front();
  sg4::CommPtr pending;
  long long pending_input = -1;
  for (long long i = 0; run_length_.more_inputs(i, measured_.delivered()); ++i) {
    if (closed_loop_)
      window_->acquire();
    else
      sg4::this_actor::sleep_until(static_cast<double>(i) / problem_.deployment.source_rate_hz);
    const double emitted_at =
        closed_loop_ ? sg4::Engine::get_clock() : static_cast<double>(i) / problem_.deployment.source_rate_hz;
    ++result_.emitted;
    send(hop, std::make_unique<Item>(Item{i, emitted_at}), pending, pending_input);
  }
  send(hop, std::make_unique<Item>(Item{-1, 0}), pending, pending_input);
  pending->wait();
}

void Replay::stage(size_t index)
{
  const Stage& stage        = placement_.stages[index];
  const StagePrediction& sp = prediction_.stages[index];
  sg4::Host* host           = sg4::this_actor::get_host();
  // Per-thread FLOP such that the stage alone on its cores takes the cost model's compute time.
  const double flop_per_thread = sp.compute_s * host->get_speed();
  const double core_seconds    = stage.threads * sp.compute_s / problem_.host(stage.device).cores;
  const std::string lane       = fmt::format("stage {} ({})", index, host->get_name());
  sg4::Mailbox* inbox          = hops_[index].to;
  const ActorHop& out          = hops_[index + 1];
  std::deque<ItemPtr> waiting;
  sg4::CommPtr pending;
  long long pending_input = -1;
  while (true) {
    ItemPtr item = take(inbox, waiting, hops_[index].credits);
    if (item->id < 0) {
      send(out, std::move(item), pending, pending_input);
      pending->wait();
      return;
    }
    const double start = sg4::Engine::get_clock();
    sg4::this_actor::exec_init(flop_per_thread)->set_thread_count(stage.threads)->start()->wait();
    account(devices_[stage.device], lane, "compute", item->id, start, sg4::Engine::get_clock(), core_seconds, 0);
    send(out, std::move(item), pending, pending_input);
  }
}

void Replay::deliver(const Item& item)
{
  const double now = sg4::Engine::get_clock();
  if (item.id == 0)
    result_.first_latency_s = now - item.emitted_at;
  const bool opens  = measured_.start_s() == infinity;
  const bool closes = measured_.end_s() == infinity;
  measured_.deliver(now, item.emitted_at);
  report_progress();
  if (opens && measured_.start_s() != infinity) {
    timeline_end_ = measured_.start_s() + 5 * prediction_.period_s;
    if (energy_)
      energy_at_start_ = energy_now();
  }
  if (closes && measured_.end_s() != infinity && energy_)
    energy_at_end_ = energy_now();
}

// What the plugins accounted so far, every host then every link of the view (called from an actor: reading brings
// the plugins' accounts up to now).
std::vector<double> Replay::energy_now() const
{
  auto* engine = sg4::Engine::get_instance();
  std::vector<double> joules;
  for (const auto& host : problem_.platform.hosts)
    joules.push_back(sg_host_get_consumed_energy(engine->host_by_name(host.name)));
  for (const auto& link : problem_.platform.links)
    joules.push_back(link.power ? sg_link_get_consumed_energy(engine->link_by_name(link.name)) : 0.0);
  return joules;
}

// A device the pipeline does not use is switched off, as a deployment would, and draws its wattage_off.
void Replay::switch_off_idle_hosts()
{
  const auto on = hosts_on(problem_, placement_);
  for (size_t h = 0; h < on.size(); ++h)
    if (!on[h])
      sg4::Engine::get_instance()->host_by_name(problem_.platform.hosts[h].name)->turn_off();
}

void Replay::summarise_energy()
{
  if (energy_at_start_.empty() || energy_at_end_.empty())
    return; // the window never closed: nothing measured
  const double span       = result_.window_end_s - result_.window_start_s;
  const auto& platform    = problem_.platform;
  result_.energy_measured = true;
  double total            = 0;
  for (size_t i = 0; i < energy_at_start_.size(); ++i) {
    const bool host = i < platform.hosts.size();
    if (!host && !platform.links[i - platform.hosts.size()].power)
      continue;
    const double joules = energy_at_end_[i] - energy_at_start_[i];
    total += joules;
    result_.energy.push_back(EnergyUse{host ? ResourceKind::Device : ResourceKind::Link,
                                       host ? platform.hosts[i].name : platform.links[i - platform.hosts.size()].name,
                                       joules, span > 0 ? joules / span : 0});
  }
  result_.energy_per_inference_J = result_.measured > 0 ? total / static_cast<double>(result_.measured) : 0;
  result_.power_W                = span > 0 ? total / span : 0;
}

// At most about twice a wall second, so that a long run shows it is alive without slowing down.
void Replay::report_progress()
{
  if (!options_.progress || (measured_.delivered() & 1023) != 0)
    return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < std::chrono::milliseconds(500))
    return;
  last_progress_ = now;
  options_.progress(measured_.delivered(), options_.warmup + options_.inferences);
}

void Replay::sink()
{
  while (true) {
    const ItemPtr item = receive(sink_inbox_);
    if (item->id < 0)
      return;
    deliver(*item);
    if (closed_loop_)
      window_->release();
  }
}

void Replay::build_hops()
{
  const auto& platform = problem_.platform;
  const auto& stages   = placement_.stages;
  const bool blocking  = problem_.deployment.queue_policy == QueuePolicy::Block;
  const auto hops      = pipeline_hops(problem_, placement_);
  for (size_t s = 0; s < hops.size(); ++s) {
    ActorHop hop;
    hop.to = sg4::Mailbox::by_name(s < stages.size() ? fmt::format("stage-{}", s) : "sink");
    if (hops[s].remote()) {
      hop.bytes = hops[s].bytes;
      hop.links = platform.route(hops[s].from, hops[s].to).links;
      hop.cost  = transfer_cost(platform, options_.network, hops[s].from, hops[s].to);
      hop.lane  = fmt::format("{}->{}", platform.hosts[hops[s].from].name, platform.hosts[hops[s].to].name);
    }
    if (blocking && s < stages.size()) {
      credits_.push_back(sg4::Semaphore::create(problem_.deployment.queue_depth));
      hop.credits = credits_.back().get();
    }
    hops_.push_back(hop);
  }
  sink_inbox_ = hops_.back().to;
  for (size_t s = 0; s < hops_.size(); ++s) {
    if (!hops_[s].lane.empty())
      result_.lanes.push_back(hops_[s].lane);
    if (s < stages.size())
      result_.lanes.push_back(fmt::format("stage {} ({})", s, platform.hosts[stages[s].device].name));
  }
}

void Replay::start_actors()
{
  const auto& platform = problem_.platform;
  const auto& stages   = placement_.stages;
  const auto hops      = pipeline_hops(problem_, placement_);
  auto host_of = [&](int index) { return sg4::Engine::get_instance()->host_by_name(platform.hosts[index].name); };
  // Every receiver takes delivery eagerly, so transfers start when sent, not when the receiver asks.
  auto sink_actor =
      sg4::Actor::create("sink", host_of(hops.back().to), [this] { survive_failures([this] { sink(); }); });
  sink_inbox_->set_receiver(sink_actor);
  for (size_t s = 0; s < stages.size(); ++s) {
    auto actor = sg4::Actor::create(fmt::format("stage-{}", s), host_of(stages[s].device),
                                    [this, s] { survive_failures([this, s] { stage(s); }); });
    hops_[s].to->set_receiver(actor);
  }
  sg4::Actor::create("source", host_of(hops.front().from), [this] { survive_failures([this] { source(); }); });
}

// Period, latencies and utilisations over the measurement window.
void Replay::summarise()
{
  result_.simulated_s = sg4::Engine::get_clock();
  measured_.close(result_.simulated_s); // an incomplete run: measure what was delivered
  result_.delivered      = measured_.delivered();
  result_.window_start_s = measured_.start_s() == infinity ? 0 : measured_.start_s();
  result_.window_end_s   = measured_.end_s();
  result_.measured       = measured_.measured();
  result_.expected       = result_.emitted - result_.dropped;
  if (result_.measured > 0) {
    const auto& latencies  = measured_.latencies();
    result_.period_s       = (result_.window_end_s - result_.window_start_s) / static_cast<double>(result_.measured);
    result_.throughput_ips = result_.period_s > 0 ? 1.0 / result_.period_s : 0;
    double sum             = 0;
    for (double l : latencies)
      sum += l;
    result_.latency_mean_s    = sum / static_cast<double>(latencies.size());
    result_.latency_p50_s     = quantile(latencies, 0.50);
    result_.latency_p95_s     = quantile(latencies, 0.95);
    result_.latency_p99_s     = quantile(latencies, 0.99);
    result_.latency_max_s     = quantile(latencies, 1.0);
    result_.transient_results = static_cast<long long>(mser5_truncation(latencies));
  }
  const double span = result_.window_end_s - result_.window_start_s;
  for (size_t h = 0; h < problem_.platform.hosts.size(); ++h)
    for (const auto& stage : placement_.stages)
      if (stage.device == static_cast<int>(h)) {
        devices_[h].utilisation = span > 0 ? devices_[h].busy_s / span : 0;
        result_.resources.push_back(devices_[h]);
        break;
      }
  for (auto& link : links_)
    if (link.bytes > 0 || link.busy_s > 0) { // busy without bytes: a way back that carries acknowledgements only
      link.utilisation = span > 0 ? link.busy_s / span : 0;
      result_.resources.push_back(link);
    }
  summarise_energy();
}

ReplayResult Replay::run()
{
  const auto wall_start = std::chrono::steady_clock::now();
  closed_loop_          = problem_.deployment.source_rate_hz <= 0;
  result_.network       = to_string(options_.network);
  window_ = sg4::Semaphore::create(problem_.closed_loop_window(static_cast<int>(placement_.stages.size())));
  if (options_.warmup == 0) // measure from the start
    timeline_end_ = 5 * prediction_.period_s;
  for (const auto& host : problem_.platform.hosts)
    devices_.push_back(ResourceUse{ResourceKind::Device, host.name, 0, 0, 0});
  for (const auto& link : problem_.platform.links)
    links_.push_back(ResourceUse{ResourceKind::Link, link.name, 0, 0, 0});
  energy_ = declares_power(problem_.platform);
  if (energy_)
    switch_off_idle_hosts();
  build_hops();
  start_actors();
  sg4::Engine::get_instance()->run();
  summarise();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  XBT_CINFO(pipesplit_wall, "%lld inferences in %.3f s of wall time: %.0f simulated inferences per second",
            result_.delivered, wall, wall > 0 ? static_cast<double>(result_.delivered) / wall : 0.0);
  return result_;
}

} // namespace

ReplayResult replay_with_engine(const Problem& problem, const Placement& placement, const Prediction& prediction,
                                const ReplayOptions& options)
{
  if (options.network == NetworkModel::Ns3)
    check_ns3_placement(problem, placement);
  xbt_log_control_set("xbt_cfg.thres:warning");
  for (const auto& control : options.log_controls)
    xbt_log_control_set(control.c_str());
  // The network model's settings, then the user's: both as SimGrid reads --cfg on its command line.
  std::vector<std::string> settings;
  for (const auto& setting : network_configuration(options.network))
    settings.push_back("--cfg=" + setting);
  for (const auto& setting : options.configuration)
    settings.push_back("--cfg=" + setting);
  EngineArguments arguments(settings);
  sg4::Engine engine(arguments.argc(), arguments.argv());
  if (!options.trace_file.empty()) {
    engine.set_config("tracing:yes");
    engine.set_config("tracing/filename:" + options.trace_file);
    engine.set_config("tracing/platform:yes");
    engine.set_config("tracing/platform/topology:no"); // 3.32 aborts on SPLITDUPLEX links used one way otherwise
    engine.set_config("tracing/actor:yes");
  }
  if (declares_power(problem.platform)) {           // before the platform exists, as the plugins require
    xbt_log_control_set("host_energy.thres:error"); // hosts without power draw 0 W: no warning, no final summary
    xbt_log_control_set("link_energy.thres:warning");
    sg_host_energy_plugin_init();
    sg_link_energy_plugin_init();
  }
  engine.load_platform(problem.platform.file);
  // The view may differ from the file (sweeps edit it): the simulated links follow the view. Only touch what
  // differs: ns-3 links cannot change, and tracing loses track of SPLITDUPLEX halves that do.
  for (const auto& link : problem.platform.links)
    if (auto* simulated = engine.link_by_name_or_null(link.name)) {
      if (simulated->get_bandwidth() != link.bandwidth_Bps)
        simulated->set_bandwidth(link.bandwidth_Bps);
      if (simulated->get_latency() != link.latency_s)
        simulated->set_latency(link.latency_s);
    }
  for (const auto& host : problem.platform.hosts) // the pstates chosen (frequency choice), as the view says
    if (auto* simulated = engine.host_by_name_or_null(host.name);
        simulated && static_cast<int>(simulated->get_pstate()) != host.pstate)
      simulated->set_pstate(host.pstate);
  return Replay(problem, placement, prediction, options).run();
}

} // namespace pipesplit::sim
