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

struct LinkInfo {
  std::string name; // SimGrid's name; SPLITDUPLEX links appear as "<id>_UP" and "<id>_DOWN", two independent links
  double bandwidth_Bps = 0;
  double latency_s     = 0;
  Sharing sharing      = Sharing::Shared;
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
