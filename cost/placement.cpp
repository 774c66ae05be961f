#include "cost/placement.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace pipesplit::cost {

static int parse_index(const std::string& text, const std::string& context, const std::string& stage)
{
  int value         = 0;
  const auto* end   = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end)
    throw InputError(context, "", fmt::format("stage '{}': '{}' is not a non-negative integer", stage, text));
  return value;
}

Placement parse_placement(const std::string& text, const Problem& problem, const std::string& context)
{
  Placement placement;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma      = text.find(',', start);
    const std::string stage = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start                   = comma == std::string::npos ? text.size() + 1 : comma + 1;
    const size_t colon      = stage.rfind(':');
    if (colon == std::string::npos || colon == 0)
      throw InputError(context, "", fmt::format("stage '{}' is not DEVICE:FIRST-LAST[@THREADS]", stage));
    Stage s;
    s.device          = problem.platform.host_index(stage.substr(0, colon), context);
    std::string range = stage.substr(colon + 1);
    const size_t at   = range.find('@');
    std::optional<int> threads;
    if (at != std::string::npos) {
      threads = parse_index(range.substr(at + 1), context, stage);
      range   = range.substr(0, at);
    }
    const size_t dash = range.find('-');
    s.first           = parse_index(range.substr(0, dash), context, stage);
    s.last            = dash == std::string::npos ? s.first : parse_index(range.substr(dash + 1), context, stage);
    s.threads         = threads.value_or(problem.default_threads(s.device));
    placement.stages.push_back(s);
  }
  validate_placement(placement, problem, context);
  return placement;
}

void validate_placement(const Placement& placement, const Problem& problem, const std::string& context)
{
  const int blocks = problem.chain.size();
  if (placement.stages.empty())
    throw InputError(context, "", "the placement has no stage");
  int expected_first = 0;
  std::set<int> used;
  for (size_t i = 0; i < placement.stages.size(); ++i) {
    const Stage& s         = placement.stages[i];
    const HostInfo& host   = problem.host(s.device);
    const std::string what = fmt::format("stage {} ({}:{}-{})", i, host.name, s.first, s.last);
    if (s.first < 0 || s.last >= blocks || s.first > s.last)
      throw InputError(context, "",
                       fmt::format("{}: block range out of bounds (the {} chain of {} has blocks 0-{})", what,
                                   to_string(problem.chain.mode), problem.chain.model_name, blocks - 1));
    if (s.first > expected_first)
      throw InputError(context, "",
                       fmt::format("{}: gap, blocks {}-{} are on no stage", what, expected_first, s.first - 1));
    if (s.first < expected_first)
      throw InputError(context, "",
                       fmt::format("{}: overlaps the previous stage (blocks {}-{} placed twice)", what, s.first,
                                   expected_first - 1));
    expected_first = s.last + 1;
    if (std::find(problem.devices.begin(), problem.devices.end(), s.device) == problem.devices.end())
      throw InputError(context, "", fmt::format("{}: device {} is not among the scenario's devices", what, host.name));
    if (s.threads < 1 || s.threads > host.cores)
      throw InputError(context, "",
                       fmt::format("{}: {} threads, but {} has {} cores", what, s.threads, host.name, host.cores));
    if (i > 0 && placement.stages[i - 1].device == s.device)
      throw InputError(context, "", fmt::format("{}: same device as the previous stage; merge the two", what));
    if (used.count(s.device) && !problem.deployment.device_reuse)
      throw InputError(
          context, "",
          fmt::format("{}: {} already hosts a stage and the scenario has device_reuse: false", what, host.name));
    used.insert(s.device);
  }
  if (expected_first != blocks)
    throw InputError(context, "", fmt::format("blocks {}-{} are on no stage", expected_first, blocks - 1));
  if (problem.deployment.max_cuts >= 0 && placement.cuts() > problem.deployment.max_cuts)
    throw InputError(
        context, "",
        fmt::format("{} cuts, but the scenario allows at most {}", placement.cuts(), problem.deployment.max_cuts));
}

std::string to_string(const Placement& placement, const Platform& platform)
{
  std::string text;
  for (const auto& s : placement.stages) {
    text += text.empty() ? "" : ",";
    text += fmt::format("{}:{}", platform.hosts[s.device].name, s.first);
    if (s.last != s.first)
      text += fmt::format("-{}", s.last);
    text += fmt::format("@{}", s.threads);
  }
  return text;
}

} // namespace pipesplit::cost
