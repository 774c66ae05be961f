#pragma once
// Plain-data view of a SimGrid platform, the only thing the solver knows about devices and links.
// Units: speeds in FLOP/s per core, bandwidths in bytes/s, latencies in seconds, memory in bytes.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pipesplit::core {

enum class Sharing {
  Shared,  // one capacity shared by every flow in both directions (SimGrid SHARED; each half of a SPLITDUPLEX link)
  FatPipe, // every flow gets the full bandwidth, flows never slow each other down
};

// Power of a host in one pstate, as SimGrid's host energy plugin reads wattage_per_state="Idle:Epsilon:AllCores"
// (or "Idle:AllCores", where Epsilon = Idle): idle_W with no computation; epsilon_W + load x (all_cores_W -
// epsilon_W) while computing, load = the share of the cores busy (SimGrid 3.32, checked by tests/sim).
struct PowerState {
  double idle_W                            = 0;
  double epsilon_W                         = 0;
  double all_cores_W                       = 0;
  bool operator==(const PowerState&) const = default;
};

struct LinkPower {
  double idle_W                           = 0; // no traffic
  double busy_W                           = 0; // fully used; linear in between
  bool operator==(const LinkPower&) const = default;
};

struct LinkInfo {
  std::string name; // SimGrid's name; SPLITDUPLEX links appear as "<id>_UP" and "<id>_DOWN", two independent links
  double bandwidth_Bps = 0;
  double latency_s     = 0;
  Sharing sharing      = Sharing::Shared;
  // Property wattage_range="IDLE:BUSY" (W), as SimGrid's link energy plugin reads it; unset: the link draws nothing.
  std::optional<LinkPower> power{};
};

struct HostInfo {
  std::string name;
  int cores               = 1;
  double core_speed_flops = 0;                       // FLOP/s of one core
  double memory_bytes     = 0;                       // 0 when the platform does not say (property "memory")
  std::string profile{};                             // measured-profile name (property "profile"), empty if none
  std::map<std::string, double> parallel_fraction{}; // per-op-type overrides (properties "parallel_fraction.<op>")
  // Per-op-type efficiency: the share of the core speed an op type reaches (properties "op_efficiency.<op>", or a
  // calibration file); 1 when absent.
  std::map<std::string, double> op_efficiency{};
  // What FLOP alone miss (a calibration file's, fitted by `calibrate --fit traffic`; 0: not modelled): the rate at
  // which layers read and write their tensors and weights (bytes/s), and a fixed cost per layer (s).
  double memory_bandwidth_Bps = 0;
  double layer_overhead_s     = 0;
  // Energy (SimGrid's host energy plugin): speed of every pstate (FLOP/s per core; several "speed" values), power
  // per pstate (property wattage_per_state; empty when the platform declares none), power when off (wattage_off).
  std::vector<double> pstate_speeds{};
  std::vector<PowerState> power{};
  double wattage_off_W = 0;
  int pstate           = 0; // the pstate the host runs at (core_speed_flops is its speed)
  double cost          = 0; // property "cost": what using the device costs, in the user's unit (0 when not given)

  bool has_power() const { return !power.empty(); }
};

// A route from one host to another. A link may appear more than once (a WiFi frame crosses the cell twice, via the
// access point); every crossing costs bytes / bandwidth on that link.
struct Route {
  std::vector<int> links;   // indices into Platform::links, in order
  double latency_s     = 0; // sum of the link latencies
  double bandwidth_Bps = 0; // rate of a lone flow: min over distinct links of bandwidth / number of crossings
};

struct Platform {
  std::string file; // where it came from, for messages
  std::vector<HostInfo> hosts;
  std::vector<LinkInfo> links;
  std::vector<std::vector<std::optional<Route>>> routes; // routes[src][dst]; empty for src == dst

  std::optional<int> find_host(const std::string& name) const;
  int host_index(const std::string& name, const std::string& context) const; // throws InputError naming context
  const Route& route(int src, int dst) const;                                // throws InputError if there is none

  // Fill Route::latency_s and Route::bandwidth_Bps from the link lists and check every figure is positive.
  // Throws InputError naming `file`.
  void finalize();
};

} // namespace pipesplit::core
