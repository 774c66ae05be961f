// pipesplit sweep status DIR: how far a sweep got (per shard: points done, failures, the measured rate and the time
// left), from the folder alone (analysis/sweep_progress.hpp), on a login node or anywhere the folder is visible.

#include "analysis/slurm_scripts.hpp"
#include "analysis/sweep_progress.hpp"
#include "cli/command.hpp"
#include "cli/sweep_slurm.hpp"
#include "cli/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

namespace {

std::string duration(const std::optional<double>& seconds)
{
  if (!seconds)
    return "?";
  const double s = *seconds;
  if (s < 120)
    return fmt::format("{:.0f} s", s);
  if (s < 7200)
    return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

// Where the sweep stands, in a few words.
std::string summary(const analysis::SweepStatus& status)
{
  const bool complete = std::all_of(status.shards.begin(), status.shards.end(),
                                    [](const analysis::ShardStatus& shard) { return shard.state == "complete"; });
  if (status.merged)
    return "merged";
  if (complete && status.done < status.points)
    return "every shard here complete, but shards are missing";
  if (complete && status.merge_job_state.empty() && !status.merge_failure.empty())
    return "every shard complete, the merge failed: " + status.merge_failure;
  if (complete && !status.merge_job_state.empty())
    return "every shard complete, merge job " + status.merge_job_state;
  if (complete)
    return status.shards.size() == 1 && status.jobs.is_null() ? "complete"
                                                              : "every shard complete, not merged (sweep merge)";
  if (status.failed > 0)
    return "time left unknown until the failed shards run again";
  if (status.eta_s)
    return "about " + duration(status.eta_s) + " left (shards running at once)";
  return "time left unknown (no point finished yet)";
}

void print_status(const analysis::SweepStatus& status, std::ostream& out)
{
  const double share =
      status.points ? 100.0 * static_cast<double>(status.done) / static_cast<double>(status.points) : 0;
  out << fmt::format("sweep {} in {}: {} of {} points ({:.0f}%), {} failed shard{}, {}\n", status.name, status.dir,
                     status.done, status.points, share, status.failed, status.failed == 1 ? "" : "s", summary(status));
  Table table({"shard", "points", "done", "state", "points/s", "last point", "left"});
  for (const auto& shard : status.shards)
    table.add({std::to_string(shard.shard), shard.points ? std::to_string(shard.points) : "?",
               std::to_string(shard.done), shard.state,
               shard.rate_points_s ? fmt::format("{:.3g}", *shard.rate_points_s) : "-",
               shard.last_point_age_s ? duration(shard.last_point_age_s) + " ago" : "-",
               shard.state == "complete" ? "-" : duration(shard.eta_s)});
  table.print(out);
  for (const auto& shard : status.shards)
    if (!shard.failure.empty())
      out << fmt::format("shard {} failed: {}\n", shard.shard, shard.failure);
  if (status.jobs.contains("submissions") && !status.jobs["submissions"].empty()) {
    const auto& last        = status.jobs["submissions"].back();
    const std::string array = last.value("shards_job", ""), merge = last.value("merge_job", "");
    out << fmt::format("Slurm: {}merge job {}; follow with squeue -j {}\n",
                       array.empty() ? "" : fmt::format("shards job {} (array {}), ", array, last.value("array", "")),
                       merge, array.empty() ? merge : array + "," + merge);
  }
  if (status.failed > 0 && status.jobs.contains("submissions"))
    out << "to resume, run the same `pipesplit sweep ... --slurm` command again\n";
}

// Which shards of the latest submission Slurm has queued or running (squeue, when it is here).
analysis::QueueStates queue_states(const nlohmann::json& jobs)
{
  analysis::QueueStates states;
  if (!jobs.contains("submissions") || jobs["submissions"].empty())
    return states;
  const auto& last        = jobs["submissions"].back();
  const std::string array = last.value("shards_job", ""), merge = last.value("merge_job", "");
  std::vector<std::string> ids{merge};
  if (!array.empty())
    ids.push_back(array);
  for (const auto& [id, state] : queued_jobs(ids)) {
    if (id == merge)
      states[0] = state;
    else if (id.rfind(array + "_", 0) == 0 && id.find('[') == std::string::npos)
      states[std::atoi(id.c_str() + array.size() + 1)] = state;
    else if (id.rfind(array + "_[", 0) == 0) // tasks not started yet: "101_[3-4%2]"
      for (int k : analysis::array_shards(id.substr(array.size() + 2, id.find_first_of("]%") - array.size() - 2)))
        states[k] = state;
  }
  return states;
}

} // namespace

ExitStatus sweep_status_main(const Args& args)
{
  std::vector<std::string> dirs;
  std::string json;
  po::options_description options("Options");
  options.add_options()("json", po::value(&json), "also write the status as JSON to this file ('-': stdout only)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit sweep status DIR [--json FILE]\n"
                            "       pipesplit sweep status SHARD_DIR... [--json FILE]\n"
                            "Points done per shard, failures and the time left, from a sweep folder (--out, also of "
                            "sweep --slurm) or from the shard folders of one sweep.";
  if (!parse_command_line(args, usage, options, nullptr, values, &dirs))
    return ExitStatus::Ok;
  if (dirs.empty())
    throw InputError("command line", "", "name the sweep folder (see --help)");
  auto status = analysis::sweep_status(dirs, analysis::unix_now());
  if (dirs.size() == 1)
    if (const auto queue = queue_states(status.jobs); !queue.empty())
      status = analysis::sweep_status(dirs.front(), analysis::unix_now(), queue);
  if (json == "-") {
    std::cout << analysis::to_json(status).dump(2) << '\n';
    return ExitStatus::Ok;
  }
  print_status(status, std::cout);
  if (!json.empty())
    write_json_file(json, analysis::to_json(status));
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
