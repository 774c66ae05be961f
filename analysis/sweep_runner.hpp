#pragma once
// Running a sweep: points spread over worker processes, each row appended to DIR/points.csv as soon as it is known
// (a killed sweep loses only the points in flight), --resume skips the points already there, and when a shard is
// complete DIR/results.csv holds its rows sorted by index (the same bytes whatever the jobs, order or resumes).
// Shards (--shard K/N: the K-th of N shards balanced by expected cost, sweep_shards.hpp) run anywhere and
// `sweep merge` joins them. DIR/progress.csv and DIR/failure.txt tell `sweep status` how the run goes
// (sweep_progress.hpp).

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

struct SweepRunOptions {
  std::string out_dir;
  int jobs      = 1;
  int shard     = 1; // 1-based
  int shards    = 1;
  bool resume   = false;
  bool force    = false;                 // start over a folder that holds another sweep's results (sweep_folder.hpp)
  bool progress = false;                 // a progress line on stderr
  std::vector<std::string> command_line; // recorded in the folder's provenance
};

struct SweepRunReport {
  size_t points   = 0; // in this shard
  size_t computed = 0; // by this run
  size_t resumed  = 0; // found done
  double wall_s   = 0;
};

SweepRunReport run_sweep(const SweepSpec& spec, const SweepRunOptions& options);

// Join the results of shards into out_dir/results.csv; every point of the sweep must be present exactly once, and
// every shard must be of the same sweep (sweep_folder.hpp).
size_t merge_sweeps(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                    const std::vector<std::string>& command_line = {}, bool force = false);

} // namespace pipesplit::analysis
