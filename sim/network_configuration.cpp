// The network models' SimGrid settings (sim/replay.hpp): used by the replay in the SimGrid module and by the
// commands that show or check them, so on both sides of it.

#include "sim/replay.hpp"

namespace pipesplit::sim {

std::vector<std::string> network_configuration(NetworkModel model)
{
  switch (model) {
  case NetworkModel::Ideal:
    return {"network/model:CM02", "network/crosstraffic:0", "network/TCP-gamma:1e12"};
  case NetworkModel::Lv08:
    return {"network/model:LV08"};
  case NetworkModel::Ns3:
    return {"network/model:ns-3"};
  }
  return {};
}

} // namespace pipesplit::sim
