#pragma once
// HOSTS.yaml: where the workers of a hardware trial run, one `pipesplit worker` per stage.
//
//   format: pipesplit-hosts/1
//   controller: 192.168.1.5        # this machine's address as the boards reach it (the sink listens there)
//   sink_port: 6999                # optional
//   hosts:
//     pi0: 192.168.1.10:7000       # platform host name -> address:port of its worker
//     pi1: 192.168.1.11:7000

#include "cost/placement.hpp"
#include "cost/problem.hpp"
#include "trial/layer.hpp"
#include "trial/trial_run.hpp"

#include <map>
#include <string>

namespace pipesplit::trial {

struct HostsFile {
  std::string file;
  std::string controller;
  int sink_port = 6999;
  std::map<int, std::pair<std::string, int>> workers; // platform host index -> address, port
};

HostsFile read_hosts_file(const std::string& path, const Platform& platform); // throws InputError

// The layout of a trial on boards: the source and the sink run in this process. Throws InputError when a stage's
// device has no worker, or when two stages share a device (start one worker per stage).
TrialLayout boards_layout(const HostsFile& hosts, const Placement& placement, const Platform& platform);

} // namespace pipesplit::trial
