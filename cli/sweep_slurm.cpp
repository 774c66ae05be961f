#include "cli/sweep_slurm.hpp"
#include "analysis/slurm_scripts.hpp"
#include "analysis/sweep_folder.hpp"
#include "analysis/sweep_progress.hpp"
#include "analysis/sweep_shards.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;
namespace fs = std::filesystem;

namespace pipesplit::cli {

namespace {

// Runs argv (searched in PATH) with stdout and stderr captured together; returns the exit code (-1: a signal, -2: it
// could not start, the reason in `output`).
int run_program(const std::vector<std::string>& argv, std::string& output)
{
  std::array<int, 2> fds{};
  if (pipe(fds.data()) != 0)
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid       = -1;
  const int error = posix_spawnp(&pid, argv.at(0).c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (error != 0) {
    close(fds[0]);
    output = std::strerror(error);
    return -2;
  }
  std::array<char, 4096> buffer{};
  for (ssize_t n; (n = read(fds[0], buffer.data(), buffer.size())) != 0;) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    output.append(buffer.data(), static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// sbatch --parsable prints "JOBID" or "JOBID;CLUSTER" (after any warnings); refused submissions are bad input
// (a partition, account or limit sbatch does not accept), with sbatch's words.
std::string sbatch(std::vector<std::string> arguments)
{
  arguments.insert(arguments.begin(), {"sbatch", "--parsable"});
  std::string output;
  const int code = run_program(arguments, output);
  if (code == -2)
    throw InputError(
        "command line", "--slurm",
        fmt::format("cannot run sbatch ({}): run on a Slurm login node, or add --dry-run to only write the "
                    "scripts",
                    output));
  std::istringstream lines(output);
  std::string id;
  for (std::string line; std::getline(lines, line);)
    if (const std::string first = line.substr(0, line.find(';'));
        !first.empty() && first.find_first_not_of("0123456789") == std::string::npos)
      id = first;
  if (code != 0 || id.empty())
    throw InputError("sbatch", "", fmt::format("refused the job (exit {}): {}", code, output));
  return id;
}

std::optional<nlohmann::json> read_jobs(const fs::path& file)
{
  std::ifstream in(file);
  if (!in)
    return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string(), "", std::string("unreadable: ") + e.what());
  }
}

// The shards to run: those without results. A shard folder of another sweep, or of another shard count, is refused
// (or removed with --force): its rows would be merged with this sweep's.
std::vector<int> pending_shards(const fs::path& dir, const nlohmann::json& record, int shards, bool force)
{
  std::vector<int> pending;
  for (int k = 1; k <= shards; ++k) {
    const fs::path folder = dir / "shards" / std::to_string(k);
    if (fs::exists(folder / "provenance.json")) {
      const auto theirs = analysis::read_sweep_record(folder.string());
      const int n       = theirs.contains("shard") ? theirs["shard"].value("n", 0) : 0;
      if (force && (theirs.at("identity") != record.at("identity") || n != shards))
        fs::remove_all(folder);
      else if (n != shards)
        throw InputError(folder.string(), "--shards",
                         fmt::format("was run as one of {} shards, not {}: give --shards {}, or --force to start over",
                                     n, shards, n));
      else
        analysis::expect_same_sweep(record, theirs, folder.string());
    }
    if (!fs::exists(folder / "results.csv"))
      pending.push_back(k);
  }
  return pending;
}

void write_script(const fs::path& path, const std::string& text)
{
  write_file_atomically(path.string(), text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
}

// Refuse to submit while the previous submission's jobs are queued or running: two tasks of one shard would compute
// its points twice into the same folder.
void expect_previous_jobs_done(const nlohmann::json& jobs, const fs::path& dir)
{
  if (!jobs.contains("submissions") || jobs["submissions"].empty())
    return;
  const auto& last = jobs["submissions"].back();
  std::vector<std::string> ids;
  for (const char* key : {"shards_job", "merge_job"})
    if (const std::string id = last.value(key, ""); !id.empty())
      ids.push_back(id);
  const auto queued = queued_jobs(ids);
  if (!queued.empty())
    throw InputError(dir.string(), "--slurm",
                     fmt::format("jobs of the previous submission are still queued or running ({}): wait for them "
                                 "(pipesplit sweep status) or cancel them (scancel {}) before submitting again",
                                 queued.begin()->first, fmt::join(ids, " ")));
}

} // namespace

std::map<std::string, std::string> queued_jobs(const std::vector<std::string>& ids)
{
  std::map<std::string, std::string> states;
  if (ids.empty())
    return states;
  std::string output;
  if (run_program(
          {"squeue", "--noheader", "--array", "--jobs=" + fmt::format("{}", fmt::join(ids, ",")), "--format=%i|%t"},
          output) != 0)
    return states; // no squeue here, or jobs Slurm has forgotten
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (const auto bar = line.find('|'); bar != std::string::npos)
      states[line.substr(0, bar)] = line.substr(bar + 1);
  return states;
}

namespace {

// The plan, for `sweep status` before the shards have started: points and expected cost per shard.
void add_plan(nlohmann::json& jobs, const analysis::SweepSpec& spec, int shards)
{
  const auto costs     = analysis::point_costs(spec, analysis::shard_cost_model(spec));
  const auto shard_of  = analysis::assign_shards(costs, shards);
  jobs["sweep"]        = spec.name;
  jobs["points"]       = spec.point_count();
  jobs["shards"]       = shards;
  jobs["shard_points"] = jobs["shard_cost"] = nlohmann::json::array();
  for (int k = 0; k < shards; ++k) {
    const auto plan = analysis::shard_points(costs, shard_of, k);
    jobs["shard_points"].push_back(plan.indices.size());
    jobs["shard_cost"].push_back(plan.cost);
  }
}

struct Scripts {
  fs::path shards, merge; // shards empty when every shard is complete
};

Scripts write_scripts(const analysis::SlurmSweep& sweep, const fs::path& dir)
{
  fs::create_directories(dir / "slurm");
  fs::create_directories(dir / "shards");
  Scripts scripts{dir / "slurm" / "shards.sbatch", dir / "slurm" / "merge.sbatch"};
  if (sweep.array.empty()) {
    fs::remove(scripts.shards);
    scripts.shards.clear();
  } else {
    write_script(scripts.shards, analysis::shards_script(sweep));
  }
  write_script(scripts.merge, analysis::merge_script(sweep));
  return scripts;
}

void print_dry_run(const analysis::SlurmSweep& sweep, const Scripts& scripts, std::ostream& out)
{
  const std::string chdir = analysis::shell_quote("--chdir=" + sweep.out_dir);
  out << fmt::format("sweep {}: {} shards, {} to run; wrote the scripts into {}/slurm, not submitted. Submit with:\n",
                     sweep.name, sweep.shards, sweep.array.size(), sweep.out_dir);
  if (!scripts.shards.empty())
    out << fmt::format("  sbatch --parsable {} {}\n", chdir, analysis::shell_quote(scripts.shards.string()));
  out << fmt::format("  sbatch {} {}{}\n", chdir,
                     scripts.shards.empty() ? ""
                                            : "--dependency=afterok:<the first job's id> --kill-on-invalid-dep=yes ",
                     analysis::shell_quote(scripts.merge.string()));
}

void print_submission(const analysis::SlurmSweep& sweep, const nlohmann::json& jobs, std::ostream& out)
{
  const auto& submission      = jobs["submissions"].back();
  const std::string array_job = submission["shards_job"], merge_job = submission["merge_job"];
  out << fmt::format("sweep {}: {} points in {} shards ({} done already)\n", sweep.name, jobs["points"].get<size_t>(),
                     sweep.shards, sweep.shards - static_cast<int>(sweep.array.size()));
  if (!array_job.empty())
    out << fmt::format("  shards: job {} (array {}), logs {}/slurm/shard-<K>.log\n", array_job,
                       analysis::array_ranges(sweep.array), sweep.out_dir);
  out << fmt::format("  merge:  job {} ({}), into {}/results.csv\n", merge_job,
                     array_job.empty() ? "now" : "when every shard succeeded", sweep.out_dir);
  out << fmt::format("follow:   squeue -j {}   |   pipesplit sweep status {}\n",
                     array_job.empty() ? merge_job : array_job + "," + merge_job, analysis::shell_quote(sweep.out_dir));
  out << "after a failure, the same command again resumes: finished shards and points are kept\n";
}

// The array (when shards are left) and the merge job, which waits for every task to succeed.
nlohmann::json submit(const Scripts& scripts, const analysis::SlurmSweep& sweep)
{
  const std::string chdir = "--chdir=" + sweep.out_dir;
  std::string array_job;
  std::vector<std::string> merge_args{chdir};
  if (!scripts.shards.empty()) {
    array_job = sbatch({chdir, scripts.shards.string()});
    merge_args.insert(merge_args.end(), {"--dependency=afterok:" + array_job, "--kill-on-invalid-dep=yes"});
  }
  merge_args.push_back(scripts.merge.string());
  const std::string merge_job = sbatch(merge_args);
  return {{"unix_s", analysis::unix_now()},
          {"array", analysis::array_ranges(sweep.array)},
          {"shards_job", array_job},
          {"merge_job", merge_job}};
}

} // namespace

void submit_sweep_to_slurm(const analysis::SweepSpec& spec, const SlurmSubmitOptions& options, std::ostream& out)
{
  for (const auto& option : options.options)
    analysis::check_slurm_option(option);
  const fs::path dir = fs::absolute(fs::path(options.out_dir) / "").parent_path().lexically_normal();
  auto jobs          = read_jobs(dir / "slurm" / "jobs.json").value_or(nlohmann::json::object());
  if (!options.dry_run)
    expect_previous_jobs_done(jobs, dir);
  const size_t count = spec.point_count();
  const int shards =
      options.shards > 0 ? options.shards : jobs.value("shards", static_cast<int>(std::min<size_t>(8, count)));
  if (shards < 1 || static_cast<size_t>(shards) > count)
    throw InputError("command line", "--shards",
                     fmt::format("must be within 1..{} (the points), got {}", count, shards));

  Provenance provenance;
  provenance.command_line = options.command_line;
  provenance.inputs       = analysis::sweep_input_files(spec);
  const auto record       = analysis::sweep_record(provenance, spec.simulate.cfg);
  analysis::claim_sweep_folder(dir.string(), record, analysis::FolderUse::Resume, options.force);
  const auto pending = pending_shards(dir, record, shards, options.force);
  if (pending.empty() && fs::exists(dir / "results.csv")) {
    out << fmt::format("sweep {}: all {} shards are done and merged: {}\n", spec.name, shards,
                       (dir / "results.csv").string());
    return;
  }
  add_plan(jobs, spec, shards);
  const analysis::SlurmSweep sweep{spec.name,
                                   fs::read_symlink("/proc/self/exe").string(),
                                   fs::absolute(spec.file).lexically_normal().string(),
                                   dir.string(),
                                   shards,
                                   pending,
                                   options.options,
                                   options.cfg};
  const Scripts scripts = write_scripts(sweep, dir);
  if (options.dry_run) {
    write_file_atomically((dir / "slurm" / "jobs.json").string(), jobs.dump(2) + "\n");
    print_dry_run(sweep, scripts, out);
    return;
  }
  jobs["submissions"].push_back(submit(scripts, sweep));
  write_file_atomically((dir / "slurm" / "jobs.json").string(), jobs.dump(2) + "\n");
  print_submission(sweep, jobs, out);
}

} // namespace pipesplit::cli
