#pragma once
// `pipesplit sweep SWEEP --out DIR --slurm`: the sweep as a Slurm job array (analysis/slurm_scripts.hpp) and a merge
// job that runs when every shard succeeded, submitted with sbatch (an argument vector, never a shell), or only
// written with --dry-run. Submitting again resumes: complete shards are left out of the array, the others continue
// from their points.csv.

#include "analysis/sweep_spec.hpp"
#include "cli/layer.hpp"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace pipesplit::cli {

struct SlurmSubmitOptions {
  std::string out_dir;
  int shards = 0; // 0: the previous submission's, else 8 (at most the points)
  std::vector<std::string> options;
  std::vector<std::string> cfg; // --cfg items, given again to every shard (the sweep file's own are in `spec`)
  bool dry_run = false;
  bool force   = false;
  std::vector<std::string> command_line;
};

void submit_sweep_to_slurm(const analysis::SweepSpec& spec, const SlurmSubmitOptions& options, std::ostream& out);

// The jobs among `ids` (and their array tasks, "101_2") Slurm still has queued or running, with squeue's compact
// state (PD, R, CG, ...); empty when squeue is not here or knows none of them.
std::map<std::string, std::string> queued_jobs(const std::vector<std::string>& ids);

} // namespace pipesplit::cli
