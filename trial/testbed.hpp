#pragma once
// The emulated testbed: the platform's devices of one placement on this machine. Each device gets its own Linux
// network namespace and its own CPU share (each compute paced to the device's per-core speed relative to this
// machine's core, a cgroup v1 CPU quota of four times that share as a bound on the rest, on a cpuset of one core),
// each pair of devices the pipeline connects gets a veth pair, shaped per direction with tc's token bucket (tbf) at
// the route's bandwidth, plus the route's latency with netem where the kernel has it; pairs whose routes share a
// SHARED bottleneck link meet on one shaped medium instead (Medium).
// Needs root (CAP_NET_ADMIN and cgroup writes).
//
// Everything is named "<prefix>..." with a prefix unique to this process and testbed, and removed by a guardian
// process forked before anything is created: it waits for this process to close a pipe (the destructor, or the
// kernel when this process dies, Ctrl-C and SIGKILL included), then kills what runs in the testbed and removes it.

#include "cost/hops.hpp"
#include "trial/layer.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipesplit::trial {

// What makes the testbed: computed from the platform without touching the system (so it can be checked alone).
struct TestbedPlan {
  struct Device {
    int host         = 0; // platform host index
    double cpu_share = 0; // of one core: host core speed / this machine's core speed
    int cpu          = 0; // the core of its cpuset
  };
  struct Link {
    int host_a = 0, host_b = 0;
    double rate_ab_Bps  = 0; // the route's bandwidth a -> b (bytes/s); 0: no route, left unshaped
    double rate_ba_Bps  = 0;
    double latency_ab_s = 0, latency_ba_s = 0;
    int medium = -1; // the pair talks over this medium, not a veth pair of its own
  };
  // A SHARED platform link that is the bottleneck of several pairs' routes (a WiFi cell): its members meet on one
  // bridge, and every frame that leaves the bridge, whatever the pair and direction, crosses one token bucket at the
  // link's bandwidth (an ifb device all the bridge's ports redirect to), as all flows share the link in SimGrid.
  struct Medium {
    int link        = 0; // platform link index
    double rate_Bps = 0;
    std::vector<int> hosts;
  };
  std::vector<Device> devices;
  std::vector<Link> links; // one per pair of distinct hosts that a hop connects
  std::vector<Medium> media;
};

// Of one core: each compute is paced to the share (worker.hpp), the quota allows four times the share (testbed.cpp),
// with periods of 10 ms, or 1 ms (the kernel's least quota) / four times the share below 0.025 core: at most 25 ms.
inline constexpr double min_cpu_share = 0.01;

// Throws InputError when a device is faster than this machine's core or slower than min_cpu_share of it.
TestbedPlan plan_testbed(const Platform& platform, const std::vector<Hop>& hops, double machine_core_flops,
                         const std::vector<int>& machine_cpus);

// The CPUs this process may use (sched_getaffinity), in order.
std::vector<int> available_cpus();

class Testbed {
public:
  // Builds the testbed; throws std::runtime_error (with what failed) after removing whatever it had created.
  Testbed(const Platform& platform, TestbedPlan plan);
  ~Testbed();
  Testbed(const Testbed&)            = delete;
  Testbed& operator=(const Testbed&) = delete;

  const std::string& prefix() const { return prefix_; }
  const TestbedPlan& plan() const { return plan_; }
  std::string namespace_of(int host) const;
  double cpu_share_of(int host) const;
  // The address at which `host` is reached from `from` (loopback when they are the same device).
  std::string address_of(int host, int from) const;
  // Called in a child process: moves it into the host's namespace and CPU cgroups.
  void enter(int host) const;
  // What the testbed could not emulate (a missing qdisc, a shared core), for the report.
  const std::vector<std::string>& notes() const { return notes_; }

private:
  int device_index(int host) const;
  int link_index(int a, int b) const;
  void build();
  void remove(); // hands the testbed to the guardian and waits until it is gone
  void build_device(const TestbedPlan::Device& device);
  void build_link(int index, const TestbedPlan::Link& link);
  void build_medium(int index, const TestbedPlan::Medium& medium);
  void shape(const std::string& ns, const std::string& interface, double rate_Bps, double latency_s);

  std::string prefix_;
  const Platform& platform_;
  TestbedPlan plan_;
  pid_t guardian_    = -1;
  int guardian_pipe_ = -1;
  bool netem_        = false;
  std::vector<std::string> notes_; // what the testbed could not emulate, for the report
};

// The prefix of every testbed process `pid` makes ("ps<pid>t"), and what is left of them: namespaces and cgroups.
std::string testbed_prefix_of(pid_t pid);
std::vector<std::string> testbed_leftovers(const std::string& prefix);

// Moves the calling thread into a network namespace for its lifetime (sockets opened meanwhile stay in it).
class NamespaceScope {
public:
  explicit NamespaceScope(const std::string& ns);
  ~NamespaceScope();
  NamespaceScope(const NamespaceScope&)            = delete;
  NamespaceScope& operator=(const NamespaceScope&) = delete;

private:
  int original_ = -1;
};

// True when this process may build a testbed (root: CAP_NET_ADMIN and cgroup writes).
bool may_build_testbed();

} // namespace pipesplit::trial
