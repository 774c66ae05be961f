#pragma once
// What a sweep folder tells about a run in progress, for `pipesplit sweep status`:
//  - DIR/progress.csv: one line per run start and per point finished, with the time (`event,unix_s,index,cost`;
//    cost as sweep_shards.hpp), appended as rows are; kept apart from points.csv, whose bytes must not depend on
//    when points finished;
//  - DIR/failure.txt: the error that stopped the last run (removed when a run starts);
//  - the shard's plan in provenance.json ("shard": K, N, points, cost).
// From these, sweep_status() computes per shard the points done, the failures and an ETA from the measured rate
// (expected cost per second over the latest run, so a shard of lv08 points is not timed by its analytic ones).

#include "analysis/layer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pipesplit::analysis {

// Appends to DIR/progress.csv (never through a link); a line per event, flushed at once.
class ProgressLog {
public:
  explicit ProgressLog(const std::string& dir); // writes the header when new, then a start line
  void point(size_t index, uint64_t cost);      // written, not yet flushed
  void flush();                                 // what was written, to the file

private:
  void line(const std::string& text);
  std::string path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
};

double unix_now();

void record_failure(const std::string& dir, const std::string& message);
void clear_failure(const std::string& dir);

struct ShardStatus {
  int shard          = 1;
  size_t points      = 0; // 0 when unknown (a shard not started, without a plan)
  size_t done        = 0;
  uint64_t cost      = 0;
  uint64_t cost_done = 0;
  std::string state;                                // complete, failed, incomplete, not started
  std::string failure;                              // the error, for a failed shard
  std::optional<double> rate_points_s, rate_cost_s; // over the latest run
  std::optional<double> last_point_age_s;
  std::optional<double> eta_s;
};

struct SweepStatus {
  std::string dir;
  std::string name;
  size_t points = 0; // of the whole sweep
  size_t done   = 0;
  int failed    = 0;
  bool merged   = false;       // DIR/results.csv holds every point
  std::string merge_job_state; // the merge job's squeue state, when queued or running
  std::string merge_failure;   // the merge job's error (DIR/slurm/merge.log), when not merged
  std::optional<double> eta_s; // the slowest shard's, the shards running at once
  std::vector<ShardStatus> shards;
  nlohmann::json jobs; // DIR/slurm/jobs.json, when submitted with --slurm
};

// What the scheduler says of the latest submission's jobs (squeue's compact states: PD, R, CG, ...): by shard number,
// 0 for the merge job; a shard absent is neither queued nor running.
using QueueStates = std::map<int, std::string>;

// The status of a sweep folder: one made by `sweep --slurm` (DIR/shards/K), or one plain or shard folder. A shard
// the queue lists is "queued" (PD) or "running", whatever its folder or log says of an earlier run.
SweepStatus sweep_status(const std::string& dir, double now_unix, const QueueStates& queue = {});
// The status of shard folders run by other means (--shard K/N under GNU parallel, a shell loop, another scheduler):
// the shards they hold, by their number (one folder: as above).
SweepStatus sweep_status(const std::vector<std::string>& shard_dirs, double now_unix);
nlohmann::json to_json(const SweepStatus& status);

} // namespace pipesplit::analysis
