// pipesplit sweep SWEEP.yaml --out DIR: the acceleration region over parameter grids, as CSV; `sweep merge` joins
// shards run elsewhere.

#include "analysis/sweep_runner.hpp"
#include "cli/command.hpp"
#include "cli/sweep_slurm.hpp"
#include "core/error.hpp"
#include "sim/simgrid_options.hpp"

#include <fmt/format.h>

#include <iostream>
#include <thread>

#include <unistd.h>

namespace po = boost::program_options;

namespace pipesplit::cli {

static ExitStatus sweep_merge_main(const Args& args)
{
  std::vector<std::string> dirs;
  std::string out;
  bool force = false;
  po::options_description options("Options");
  options.add_options()("output,o", po::value(&out)->required(), "folder for the merged results.csv")(
      "force", po::bool_switch(&force), "replace the results of another sweep in the output folder");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit sweep merge DIR... -o DIR [--force]\n"
                            "Join the results of a sweep's shards (all of one sweep: same inputs, same pipesplit).";
  if (!parse_command_line(args, usage, options, nullptr, values, &dirs))
    return ExitStatus::Ok;
  Args command_line{"pipesplit", "sweep", "merge"};
  command_line.insert(command_line.end(), args.begin(), args.end());
  const size_t points = analysis::merge_sweeps(dirs, out, command_line, force);
  std::cout << fmt::format("merged {} shards: {} points in {}/results.csv\n", dirs.size(), points, out);
  return ExitStatus::Ok;
}

ExitStatus sweep_main(const Args& args)
{
  if (!args.empty() && args[0] == "merge")
    return sweep_merge_main(Args(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "status")
    return sweep_status_main(Args(args.begin() + 1, args.end()));
  std::string sweep_path, shard = "1/1";
  analysis::SweepRunOptions run;
  SlurmSubmitOptions slurm;
  bool use_slurm = false;
  std::vector<std::string> cfg;
  run.jobs       = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  po::options_description options("Options");
  options.add_options()("out,o", po::value(&run.out_dir)->required(), "folder for points.csv and results.csv")(
      "jobs,j", po::value(&run.jobs), "worker processes (default: the cores)")(
      "shard", po::value(&shard), "K/N: the K-th of N shards, balanced by expected cost (default 1/1)")(
      "resume", po::bool_switch(&run.resume), "complete a sweep that was stopped (same sweep file and inputs)")(
      "force", po::bool_switch(&run.force), "start over a folder that holds the results of another sweep")(
      "slurm", po::bool_switch(&use_slurm), "submit as a Slurm job array (one task per shard) and a merge job")(
      "shards", po::value(&slurm.shards), "with --slurm: the shards (default: as submitted before, else 8)")(
      "slurm-option", po::value(&slurm.options)->composing(),
      "with --slurm: an sbatch option for both jobs, one word (--partition=short, --time=1:00:00); repeatable")(
      "dry-run", po::bool_switch(&slurm.dry_run), "with --slurm: write the batch scripts, do not submit them");
  add_simgrid_options(options, &cfg);
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit sweep SWEEP.yaml --out DIR [--jobs N] [--shard K/N] [--resume] [--force]\n"
      "                      [--cfg ITEM:VALUE]...\n"
      "       pipesplit sweep SWEEP.yaml --out DIR --slurm [--shards N] [--slurm-option OPT]... [--dry-run]\n"
      "       pipesplit sweep merge DIR... -o DIR\n"
      "       pipesplit sweep status DIR... [--json FILE]\n"
      "Solve (and simulate a sample of) every point of a parameter grid; rows are written as points finish.";
  if (!parse_command_line(args, usage, options, &sweep_path, values))
    return ExitStatus::Ok;
  if (std::sscanf(shard.c_str(), "%d/%d", &run.shard, &run.shards) != 2)
    throw InputError("command line", "--shard", fmt::format("expected K/N, got '{}'", shard));
  run.progress     = isatty(STDERR_FILENO);
  run.command_line = {"pipesplit", "sweep"};
  run.command_line.insert(run.command_line.end(), args.begin(), args.end());
  sim::check_configuration(cfg);
  analysis::SweepSpec spec = analysis::read_sweep_file(sweep_path);
  // After the sweep file's own items, as a later --cfg overrides an earlier one; part of the sweep's identity.
  spec.simulate.cfg.insert(spec.simulate.cfg.end(), cfg.begin(), cfg.end());
  if (use_slurm) {
    if (values.count("shard") || values.count("jobs") || run.resume)
      throw InputError("command line", "--slurm",
                       "takes --shards N, not --shard, --jobs or --resume (its tasks resume by themselves)");
    slurm.out_dir      = run.out_dir;
    slurm.cfg          = cfg;
    slurm.force        = run.force;
    slurm.command_line = run.command_line;
    submit_sweep_to_slurm(spec, slurm, std::cout);
    return ExitStatus::Ok;
  }
  if (values.count("shards") || values.count("slurm-option") || slurm.dry_run)
    throw InputError("command line", "--shards", "--shards, --slurm-option and --dry-run go with --slurm");
  const auto report = analysis::run_sweep(spec, run);
  std::cout << fmt::format("sweep {}: {} points in this shard ({} computed now, {} already done) in {:.1f} s; "
                           "{}/results.csv\n",
                           spec.name, report.points, report.computed, report.resumed, report.wall_s, run.out_dir);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
