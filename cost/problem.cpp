#include "cost/problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace pipesplit::cost {

NetworkModel parse_network_model(const std::string& text)
{
  if (text == "ideal")
    return NetworkModel::Ideal;
  if (text == "lv08")
    return NetworkModel::Lv08;
  if (text == "ns3")
    return NetworkModel::Ns3;
  throw std::invalid_argument(fmt::format("unknown network model '{}' (expected ideal, lv08 or ns3)", text));
}

std::string to_string(NetworkModel model)
{
  switch (model) {
  case NetworkModel::Ideal:
    return "ideal";
  case NetworkModel::Lv08:
    return "lv08";
  case NetworkModel::Ns3:
    return "ns3";
  }
  return "?";
}

QueuePolicy parse_queue_policy(const std::string& text)
{
  if (text == "block")
    return QueuePolicy::Block;
  if (text == "drop-oldest")
    return QueuePolicy::DropOldest;
  throw std::invalid_argument(fmt::format("unknown queue policy '{}' (expected block or drop-oldest)", text));
}

std::string to_string(QueuePolicy policy)
{
  return policy == QueuePolicy::Block ? "block" : "drop-oldest";
}

int Problem::default_threads(int device) const
{
  const int cores = host(device).cores;
  return deployment.threads ? std::min(*deployment.threads, cores) : cores;
}

int Problem::closed_loop_window(int stages) const
{
  return deployment.window > 0 ? deployment.window : stages * (deployment.queue_depth + 2) + 2;
}

} // namespace pipesplit::cost
