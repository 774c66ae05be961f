#include "trial/emulated_trial.hpp"
#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "cost/hops.hpp"
#include "trial/worker.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <atomic>
#include <thread>

namespace pipesplit::trial {

static TrialLayout emulated_layout(const Testbed& testbed, const Placement& placement, const std::vector<Hop>& hops)
{
  TrialLayout layout;
  const int stages = static_cast<int>(placement.stages.size());
  for (int s = 0; s < stages; ++s) {
    const int host = placement.stages[s].device;
    layout.control.push_back({testbed.namespace_of(host), "127.0.0.1", worker_port(s)});
    layout.data_address.push_back(testbed.address_of(host, hops[s].from));
    layout.data_port.push_back(worker_port(s));
  }
  layout.source_netns = testbed.namespace_of(hops.front().from);
  layout.sink = {testbed.namespace_of(hops.back().to), testbed.address_of(hops.back().to, hops.back().from), sink_port};
  return layout;
}

EmulatedTrial run_emulated_trial(const Model& model, const Problem& problem, const Placement& placement,
                                 const TrialOptions& options, double machine_core_flops)
{
  if (!may_build_testbed())
    throw NotPermitted("the emulated testbed needs root (CAP_NET_ADMIN for namespaces, veth and tc; write access to "
                       "the cgroup v1 cpu and cpuset hierarchies): run as root, or run workers on boards (--hosts)");
  for (size_t s = 0; s < placement.stages.size(); ++s)
    if (placement.stages[s].threads != 1)
      throw InputError("--placement", "threads",
                       fmt::format("stage {} asks for {} threads; an emulated device is a share of one core, "
                                   "its stage runs one thread (set '@1' or the scenario's deployment.threads: 1)",
                                   s, placement.stages[s].threads));
  const auto hops = pipeline_hops(problem, placement);
  EmulatedTrial result;
  result.machine_core_flops = machine_core_flops;
  result.plan               = plan_testbed(problem.platform, hops, machine_core_flops, available_cpus());
  Testbed testbed(problem.platform, result.plan);
  result.prefix            = testbed.prefix();
  result.notes             = testbed.notes();
  const TrialLayout layout = emulated_layout(testbed, placement, hops);

  WorkerPool pool(static_cast<int>(placement.stages.size()), [&](int stage, const WorkerPool::Emit&) {
    const int host = placement.stages[stage].device;
    testbed.enter(host);
    boost::asio::io_context context;
    tcp::acceptor acceptor(context, tcp::endpoint(tcp::v4(), static_cast<unsigned short>(worker_port(stage))));
    serve_trial(acceptor, model, problem.chain, testbed.cpu_share_of(host));
  });
  std::atomic<bool> abort{false};
  TrialOptions controller_options = options;
  controller_options.abort        = &abort;
  std::exception_ptr controller_failure;
  std::thread controller([&] {
    try {
      result.measurement = run_trial(model, problem, placement, layout, controller_options);
    } catch (...) {
      controller_failure = std::current_exception();
    }
  });
  const auto exits = pool.wait([](int, const std::string&) {});
  if (pool.first_failure() >= 0)
    abort = true;
  controller.join();
  if (pool.first_failure() >= 0) {
    const auto& failed = exits[pool.first_failure()];
    throw ProtocolError(fmt::format("worker of stage {} failed: {}", pool.first_failure(),
                                    failed.diagnostics.empty() ? "(no message)" : failed.diagnostics));
  }
  if (controller_failure)
    std::rethrow_exception(controller_failure);
  return result;
}

} // namespace pipesplit::trial
