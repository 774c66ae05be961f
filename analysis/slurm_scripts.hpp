#pragma once
// The batch scripts of `pipesplit sweep --slurm`: a job array with one task per shard, each running
// `pipesplit sweep SWEEP --out DIR/shards/K --shard K/N --resume`, and a merge job into DIR. Text only (the
// submission is the command's): every path is written single-quoted, so a path is never shell code whatever it
// holds; the #SBATCH lines name no path (the jobs run in DIR: sbatch --chdir=DIR), and options the user adds
// must be one word without control characters (a newline would start a shell line).

#include "analysis/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::analysis {

struct SlurmSweep {
  std::string name;       // the sweep's name, for the job names
  std::string binary;     // absolute path of pipesplit
  std::string sweep_file; // absolute
  std::string out_dir;    // absolute; shards in out_dir/shards/K, logs in out_dir/slurm
  int shards = 1;
  std::vector<int> array;           // the shards to run (1-based, ascending): all, or those not complete
  std::vector<std::string> options; // --slurm-option values, as #SBATCH lines of both jobs
  std::vector<std::string> cfg;     // --cfg items given to `sweep --slurm`, passed on to every shard
};

// 'text', with every ' written '\'' : the shell takes the bytes as they are.
std::string shell_quote(const std::string& text);

// Throws InputError naming --slurm-option unless `option` is one option word sbatch can take from a #SBATCH line
// and none that pipesplit sets itself (--array, --output, --dependency, ...).
void check_slurm_option(const std::string& option);

// "1-4", "2,5-7": sbatch's --array syntax for ascending shard numbers.
std::string array_ranges(const std::vector<int>& shards);

// The shard numbers of sbatch's --array syntax ("2,5-7"); throws std::invalid_argument on anything else.
std::vector<int> array_shards(const std::string& ranges);

// A job name from the sweep's name: letters, digits, '.', '_' and '-' kept, anything else '_'.
std::string job_name(const std::string& name);

std::string shards_script(const SlurmSweep& sweep);
std::string merge_script(const SlurmSweep& sweep);

} // namespace pipesplit::analysis
