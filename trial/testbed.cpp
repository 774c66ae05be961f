#include "trial/testbed.hpp"
#include "core/error.hpp"
#include "trial/system_tool.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace pipesplit::trial {

namespace {

const fs::path cpu_cgroups    = "/sys/fs/cgroup/cpu";
const fs::path cpuset_cgroups = "/sys/fs/cgroup/cpuset";
const fs::path netns_folder   = "/var/run/netns";
// CFS bandwidth control limits CPU time per period, not speed: a burst shorter than the quota runs at full speed, so
// a stage computes at the device's speed only through pacing (worker.hpp, serve_trial). The quota bounds what the
// device does besides (TCP, copying tensors, which the cost model does not count) at four times its share: a quota of
// exactly the share is spent by the paced compute alone and throttles the rest on top. Measured on the shipped
// ResNet-18 compute-bound trial, period against the prediction: +30% with a quota of the share, +12% with four times
// the share, +8 to +10% with none (2026-12-01, load average 2 to 4). Periods of 10 ms, lengthened where the quota
// would be under the kernel's least of 1 ms.
constexpr long cfs_period_us = 10000, least_quota_us = 1000;
constexpr double quota_headroom = 4;

double quota_share(double cpu_share)
{
  return std::min(1.0, quota_headroom * cpu_share);
}

long period_us_of(double share)
{
  return std::max(cfs_period_us, static_cast<long>(std::ceil(static_cast<double>(least_quota_us) / share)));
}
constexpr int link_mtu = 9000; // large frames: TCP/IP headers cost 0.7% of the shaped rate, not 4%

void write_file(const fs::path& path, const std::string& text)
{
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out)
    throw std::runtime_error(fmt::format("cannot write '{}' to {}: {}", text, path.string(), std::strerror(errno)));
}

std::vector<pid_t> pids_in(const fs::path& procs_file)
{
  std::ifstream in(procs_file);
  std::vector<pid_t> pids;
  for (pid_t pid; in >> pid;)
    pids.push_back(pid);
  return pids;
}

std::vector<std::string> names_with_prefix(const fs::path& folder, const std::string& prefix)
{
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error))
    if (entry.path().filename().string().rfind(prefix, 0) == 0)
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Kills what runs in the testbed's cgroups and namespaces, then removes them; retries while processes linger.
void remove_testbed(const std::string& prefix)
{
  for (const auto& root : {cpu_cgroups, cpuset_cgroups})
    for (const auto& name : names_with_prefix(root, prefix)) {
      for (int attempt = 0; attempt < 100; ++attempt) {
        for (pid_t pid : pids_in(root / name / "cgroup.procs"))
          kill(pid, SIGKILL);
        if (rmdir((root / name).c_str()) == 0 || errno == ENOENT)
          break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  for (const auto& name : names_with_prefix(netns_folder, prefix)) {
    std::istringstream pids(run_tool({"ip", "netns", "pids", name}).output);
    for (pid_t pid; pids >> pid;)
      kill(pid, SIGKILL);
    run_tool({"ip", "netns", "del", name});
  }
}

// The guardian: waits until the pipe's write end closes (its parent ended, however), then removes the testbed.
[[noreturn]] void guard(int read_fd, const std::string& prefix)
{
  signal(SIGINT, SIG_IGN); // Ctrl-C reaches the whole process group: the guardian outlives it to clean up
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  for (char byte; read(read_fd, &byte, 1) != 0;)
    if (errno != EINTR)
      break;
  try {
    remove_testbed(prefix);
  } catch (const std::exception& e) {
    fmt::print(stderr, "pipesplit testbed cleanup: {}\n", e.what());
    _exit(1);
  }
  _exit(0);
}

std::string rate_text(double bytes_per_s)
{
  return fmt::format("{}bit", static_cast<long long>(std::llround(bytes_per_s * 8)));
}

// The link of `route` with the least bandwidth, when it is SHARED (one capacity for both directions): the one a
// medium can emulate. A SPLITDUPLEX half or a FATPIPE bottleneck: none.
std::optional<int> shared_bottleneck(const Platform& platform, const std::optional<Route>& route)
{
  if (!route || route->links.empty())
    return std::nullopt;
  const auto narrowest = *std::min_element(route->links.begin(), route->links.end(), [&](int a, int b) {
    return platform.links[a].bandwidth_Bps < platform.links[b].bandwidth_Bps;
  });
  const auto& link     = platform.links[narrowest];
  const bool half      = link.name.ends_with("_UP") || link.name.ends_with("_DOWN");
  if (link.sharing != Sharing::Shared || half)
    return std::nullopt;
  return narrowest;
}

// Pairs whose routes, both ways, have the same SHARED bottleneck link, and that link is the bottleneck of at least
// two pairs: those pairs go over one medium per such link.
void assign_media(const Platform& platform, TestbedPlan& plan)
{
  std::map<int, std::vector<size_t>> pairs_of_link;
  for (size_t k = 0; k < plan.links.size(); ++k) {
    const auto& l = plan.links[k];
    const auto ab = shared_bottleneck(platform, platform.routes[l.host_a][l.host_b]);
    if (ab && ab == shared_bottleneck(platform, platform.routes[l.host_b][l.host_a]))
      pairs_of_link[*ab].push_back(k);
  }
  for (const auto& [link, pairs] : pairs_of_link) {
    if (pairs.size() < 2)
      continue;
    TestbedPlan::Medium medium{link, platform.links[link].bandwidth_Bps, {}};
    for (size_t k : pairs) {
      plan.links[k].medium = static_cast<int>(plan.media.size());
      for (int host : {plan.links[k].host_a, plan.links[k].host_b})
        if (std::find(medium.hosts.begin(), medium.hosts.end(), host) == medium.hosts.end())
          medium.hosts.push_back(host);
    }
    plan.media.push_back(std::move(medium));
  }
}

} // namespace

std::vector<int> available_cpus()
{
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &set))
        cpus.push_back(cpu);
  return cpus;
}

TestbedPlan plan_testbed(const Platform& platform, const std::vector<Hop>& hops, double machine_core_flops,
                         const std::vector<int>& machine_cpus)
{
  TestbedPlan plan;
  std::vector<int> hosts;
  for (const auto& hop : hops)
    for (int host : {hop.from, hop.to})
      if (std::find(hosts.begin(), hosts.end(), host) == hosts.end())
        hosts.push_back(host);
  std::vector<double> cpu_load(machine_cpus.size(), 0.0);
  for (int host : hosts) {
    const auto& info   = platform.hosts[host];
    const double share = info.core_speed_flops / machine_core_flops;
    if (share > 1)
      throw InputError(platform.file, info.name,
                       fmt::format("a core of {:.3g} FLOP/s is faster than this machine's ({:.3g} FLOP/s, measured): "
                                   "a CPU quota cannot emulate it",
                                   info.core_speed_flops, machine_core_flops));
    if (share < min_cpu_share)
      throw InputError(platform.file, info.name,
                       fmt::format("a core of {:.3g} FLOP/s is {:.3f} of this machine's ({:.3g} FLOP/s, measured): "
                                   "a CPU quota cannot emulate less than {} core",
                                   info.core_speed_flops, share, machine_core_flops, min_cpu_share));
    const auto least = std::min_element(cpu_load.begin(), cpu_load.end()) - cpu_load.begin();
    cpu_load[least] += share;
    plan.devices.push_back({host, share, machine_cpus[least]});
  }
  for (const auto& hop : hops) {
    if (!hop.remote())
      continue;
    const int a = std::min(hop.from, hop.to), b = std::max(hop.from, hop.to);
    if (std::any_of(plan.links.begin(), plan.links.end(),
                    [&](const TestbedPlan::Link& l) { return l.host_a == a && l.host_b == b; }))
      continue;
    TestbedPlan::Link link{a, b};
    if (const auto& route = platform.routes[a][b]) {
      link.rate_ab_Bps  = route->bandwidth_Bps;
      link.latency_ab_s = route->latency_s;
    }
    if (const auto& route = platform.routes[b][a]) {
      link.rate_ba_Bps  = route->bandwidth_Bps;
      link.latency_ba_s = route->latency_s;
    }
    plan.links.push_back(link);
  }
  assign_media(platform, plan);
  return plan;
}

static std::atomic<int> testbeds_made{0};

std::string testbed_prefix_of(pid_t pid)
{
  return fmt::format("ps{}t", pid);
}

Testbed::Testbed(const Platform& platform, TestbedPlan plan)
    : prefix_(fmt::format("{}{}", testbed_prefix_of(getpid()), testbeds_made++)), platform_(platform),
      plan_(std::move(plan))
{
  if (plan_.links.size() > 250 || plan_.devices.size() > 99)
    throw std::runtime_error("the testbed supports at most 99 devices and 250 links");
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  fflush(nullptr);
  guardian_ = fork();
  if (guardian_ < 0)
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (guardian_ == 0) {
    close(fds[1]);
    guard(fds[0], prefix_);
  }
  close(fds[0]);
  guardian_pipe_ = fds[1];
  try {
    build();
  } catch (...) {
    remove();
    throw;
  }
}

Testbed::~Testbed()
{
  remove();
}

void Testbed::remove()
{
  if (guardian_pipe_ < 0)
    return;
  close(guardian_pipe_);
  guardian_pipe_ = -1;
  int status     = 0;
  while (waitpid(guardian_, &status, 0) < 0 && errno == EINTR) {
  }
}

std::string Testbed::namespace_of(int host) const
{
  return fmt::format("{}h{}", prefix_, device_index(host));
}

double Testbed::cpu_share_of(int host) const
{
  return plan_.devices[device_index(host)].cpu_share;
}

int Testbed::device_index(int host) const
{
  for (size_t i = 0; i < plan_.devices.size(); ++i)
    if (plan_.devices[i].host == host)
      return static_cast<int>(i);
  throw std::logic_error(fmt::format("host {} is not in the testbed", platform_.hosts[host].name));
}

int Testbed::link_index(int a, int b) const
{
  for (size_t i = 0; i < plan_.links.size(); ++i)
    if (std::min(a, b) == plan_.links[i].host_a && std::max(a, b) == plan_.links[i].host_b)
      return static_cast<int>(i);
  throw std::logic_error(
      fmt::format("no link {} - {} in the testbed", platform_.hosts[a].name, platform_.hosts[b].name));
}

// Link k joins 10.77.k.1 (its lower host) and 10.77.k.2, each end in its device's namespace; on medium m, its i-th
// host is 10.78.m.(i + 1).
std::string Testbed::address_of(int host, int from) const
{
  if (host == from)
    return "127.0.0.1";
  const int k = link_index(host, from);
  if (const int m = plan_.links[k].medium; m >= 0) {
    const auto& hosts = plan_.media[m].hosts;
    return fmt::format("10.78.{}.{}", m, std::find(hosts.begin(), hosts.end(), host) - hosts.begin() + 1);
  }
  return fmt::format("10.77.{}.{}", k, host == plan_.links[k].host_a ? 1 : 2);
}

void Testbed::build()
{
  for (const auto& device : plan_.devices)
    build_device(device);
  netem_ = run_tool({"tc", "-n", namespace_of(plan_.devices.front().host), "qdisc", "add", "dev", "lo", "root", "netem",
                     "delay", "1ms"})
               .exit_code == 0;
  if (netem_)
    run_tool_checked({"tc", "-n", namespace_of(plan_.devices.front().host), "qdisc", "del", "dev", "lo", "root"});
  for (size_t k = 0; k < plan_.links.size(); ++k)
    if (plan_.links[k].medium < 0)
      build_link(static_cast<int>(k), plan_.links[k]);
  for (size_t m = 0; m < plan_.media.size(); ++m)
    build_medium(static_cast<int>(m), plan_.media[m]);
}

// A namespace with a bridge, one veth per member (its end in the member's namespace, on the medium's subnet), and an
// ifb device shaped by tbf to which every port's egress is redirected (tc's u32 match-all filter and mirred): one
// token bucket for all the frames the medium carries.
void Testbed::build_medium(int m, const TestbedPlan::Medium& medium)
{
  const std::string ns = fmt::format("{}m{}", prefix_, m), bridge = ns + "br", ifb = ns + "i";
  run_tool_checked({"ip", "netns", "add", ns});
  run_tool_checked({"ip", "-n", ns, "link", "add", bridge, "type", "bridge"});
  run_tool_checked({"ip", "-n", ns, "link", "set", bridge, "up"});
  run_tool_checked({"ip", "-n", ns, "link", "add", ifb, "type", "ifb"});
  run_tool_checked({"ip", "-n", ns, "link", "set", ifb, "mtu", std::to_string(link_mtu), "up"});
  const LinkInfo& link = platform_.links[medium.link];
  shape(ns, ifb, medium.rate_Bps, link.latency_s);
  for (size_t i = 0; i < medium.hosts.size(); ++i) {
    const int host           = medium.hosts[i];
    const std::string device = namespace_of(host), port = fmt::format("{}p{}", ns, i),
                      end = fmt::format("{}e{}", ns, i);
    run_tool_checked({"ip", "link", "add", end, "netns", device, "type", "veth", "peer", "name", port, "netns", ns});
    run_tool_checked({"ip", "-n", ns, "link", "set", port, "mtu", std::to_string(link_mtu), "master", bridge, "up"});
    run_tool_checked({"ip", "-n", device, "addr", "add", fmt::format("10.78.{}.{}/24", m, i + 1), "dev", end});
    run_tool_checked({"ip", "-n", device, "link", "set", end, "mtu", std::to_string(link_mtu), "up"});
    run_tool_checked({"tc", "-n", ns, "qdisc", "add", "dev", port, "clsact"});
    run_tool_checked({"tc",    "-n",  ns,  "filter", "add",    "dev",    port,     "egress",   "protocol", "all", "u32",
                      "match", "u32", "0", "0",      "action", "mirred", "egress", "redirect", "dev",      ifb});
  }
  if (!netem_ && link.latency_s > 0)
    notes_.push_back(fmt::format("latency of the shared link {} ({} s) not emulated: this kernel has no netem qdisc; "
                                 "excluded from the comparison",
                                 link.name, link.latency_s));
}

void Testbed::build_device(const TestbedPlan::Device& device)
{
  const std::string ns = namespace_of(device.host);
  run_tool_checked({"ip", "netns", "add", ns});
  run_tool_checked({"ip", "-n", ns, "link", "set", "lo", "up"});
  const fs::path cpu = cpu_cgroups / ns, cpuset = cpuset_cgroups / ns;
  fs::create_directory(cpu);
  const double quota   = quota_share(device.cpu_share);
  const long period_us = period_us_of(quota);
  write_file(cpu / "cpu.cfs_period_us", std::to_string(period_us));
  write_file(cpu / "cpu.cfs_quota_us",
             std::to_string(std::max(least_quota_us, std::lround(quota * static_cast<double>(period_us)))));
  fs::create_directory(cpuset);
  write_file(cpuset / "cpuset.cpus", std::to_string(device.cpu));
  std::ifstream mems(cpuset_cgroups / "cpuset.mems");
  std::string all_mems;
  mems >> all_mems;
  write_file(cpuset / "cpuset.mems", all_mems);
}

void Testbed::build_link(int k, const TestbedPlan::Link& link)
{
  const std::string ns_a = namespace_of(link.host_a), ns_b = namespace_of(link.host_b);
  const std::string if_a = fmt::format("{}l{}a", prefix_, k), if_b = fmt::format("{}l{}b", prefix_, k);
  run_tool_checked({"ip", "link", "add", if_a, "netns", ns_a, "type", "veth", "peer", "name", if_b, "netns", ns_b});
  for (const auto& [ns, interface, address] : {std::tuple{ns_a, if_a, address_of(link.host_a, link.host_b)},
                                               {ns_b, if_b, address_of(link.host_b, link.host_a)}}) {
    run_tool_checked({"ip", "-n", ns, "addr", "add", address + "/24", "dev", interface});
    run_tool_checked({"ip", "-n", ns, "link", "set", interface, "mtu", std::to_string(link_mtu), "up"});
  }
  shape(ns_a, if_a, link.rate_ab_Bps, link.latency_ab_s);
  shape(ns_b, if_b, link.rate_ba_Bps, link.latency_ba_s);
  const auto& a = platform_.hosts[link.host_a].name;
  const auto& b = platform_.hosts[link.host_b].name;
  if (!netem_ && (link.latency_ab_s > 0 || link.latency_ba_s > 0))
    notes_.push_back(fmt::format("latency of {} <-> {} ({} s / {} s) not emulated: this kernel has no netem qdisc; "
                                 "excluded from the comparison",
                                 a, b, link.latency_ab_s, link.latency_ba_s));
}

// tbf at the rate; its bucket holds 2 ms of traffic (at least 2 frames), its queue 4 MB so TCP's window never
// overflows it. netem under it adds the latency when the kernel has it.
void Testbed::shape(const std::string& ns, const std::string& interface, double rate_Bps, double latency_s)
{
  if (rate_Bps <= 0)
    return;
  const long burst = std::max(2L * (link_mtu + 14), std::lround(rate_Bps * 0.002));
  run_tool_checked({"tc", "-n", ns, "qdisc", "add", "dev", interface, "root", "handle", "1:", "tbf", "rate",
                    rate_text(rate_Bps), "burst", std::to_string(burst), "limit", "4000000"});
  if (netem_ && latency_s > 0)
    run_tool_checked({"tc", "-n", ns, "qdisc", "add", "dev", interface, "parent", "1:1", "handle", "10:", "netem",
                      "delay", fmt::format("{}us", std::llround(latency_s * 1e6))});
}

void Testbed::enter(int host) const
{
  close(guardian_pipe_); // this child must not keep the guardian waiting once the trial is over
  const std::string ns = namespace_of(host);
  const int fd         = open((netns_folder / ns).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
    throw std::runtime_error(fmt::format("cannot enter namespace {}: {}", ns, std::strerror(errno)));
  close(fd);
  write_file(cpu_cgroups / ns / "cgroup.procs", std::to_string(getpid()));
  write_file(cpuset_cgroups / ns / "cgroup.procs", std::to_string(getpid()));
}

std::vector<std::string> testbed_leftovers(const std::string& prefix)
{
  std::vector<std::string> left;
  for (const auto& root : {cpu_cgroups, cpuset_cgroups})
    for (const auto& name : names_with_prefix(root, prefix))
      left.push_back((root / name).string());
  for (const auto& name : names_with_prefix(netns_folder, prefix))
    left.push_back("netns " + name);
  for (const auto& name : names_with_prefix("/sys/class/net", prefix))
    left.push_back("link " + name);
  return left;
}

NamespaceScope::NamespaceScope(const std::string& ns)
{
  original_          = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int fd       = open((netns_folder / ns).c_str(), O_RDONLY | O_CLOEXEC);
  const bool entered = original_ >= 0 && fd >= 0 && setns(fd, CLONE_NEWNET) == 0;
  const int error    = errno;
  if (fd >= 0)
    close(fd);
  if (!entered) {
    if (original_ >= 0)
      close(original_);
    throw std::runtime_error(fmt::format("cannot enter namespace {}: {}", ns, std::strerror(error)));
  }
}

NamespaceScope::~NamespaceScope()
{
  setns(original_, CLONE_NEWNET);
  close(original_);
}

bool may_build_testbed()
{
  return geteuid() == 0 && access(cpu_cgroups.c_str(), W_OK) == 0 && access(cpuset_cgroups.c_str(), W_OK) == 0;
}

} // namespace pipesplit::trial
