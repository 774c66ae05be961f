#include "analysis/sweep_runner.hpp"
#include "analysis/csv.hpp"
#include "analysis/sweep_folder.hpp"
#include "analysis/sweep_point.hpp"
#include "analysis/sweep_progress.hpp"
#include "analysis/sweep_shards.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/worker_pool.hpp"
#include "sim/simgrid_options.hpp"
#include "sim/simgrid_version.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

// The point index that starts a row of a points or results file; anything else is refused (a hand-edited or
// foreign file), naming the line.
size_t row_index(const std::string& row, const std::string& where)
{
  const std::string first = parse_csv_line(row).front();
  size_t index            = 0;
  const auto [end, error] = std::from_chars(first.data(), first.data() + first.size(), index);
  if (first.empty() || error != std::errc() || end != first.data() + first.size())
    throw InputError(
        where, "index",
        fmt::format("'{}' is not a point index: this file was not written by a sweep", first.substr(0, 40)));
  return index;
}

// Rows already in a points or results file, by index; the header must be this sweep's. A last line cut short by a
// kill is dropped (and truncated from the file, so appending continues cleanly).
std::map<size_t, std::string> read_rows(const std::string& path, const std::string& header, bool truncate_partial)
{
  std::map<size_t, std::string> rows;
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return rows;
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  file.close();
  size_t start = 0, complete = 0, number = 0;
  bool first = true;
  while (start < text.size()) {
    ++number;
    const size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break; // partial last line
    const std::string line = text.substr(start, end - start);
    if (first) {
      if (line != header)
        throw InputError(path, "", "holds the results of another sweep (different columns); use another --out");
      first = false;
    } else {
      rows[row_index(line, fmt::format("{}:{}", path, number))] = line;
    }
    start = complete = end + 1;
  }
  if (truncate_partial && complete < text.size())
    fs::resize_file(path, complete);
  return rows;
}

// Readers never see a half-written results file (output_file.hpp).
void write_results(const std::string& path, const std::string& header, const std::map<size_t, std::string>& rows)
{
  std::string text = header + '\n';
  for (const auto& [index, row] : rows)
    text += row + '\n';
  write_file_atomically(path, text);
}

// The rate counts only the points computed in this run (resumed ones cost nothing), and no time left is promised
// before a few seconds of them: the first points say little of a sweep whose simulated points come later.
std::string progress_line(const std::string& name, size_t resumed, size_t computed, size_t total, double seconds)
{
  const size_t done = resumed + computed;
  const double rate = seconds > 0 ? static_cast<double>(computed) / seconds : 0;
  const std::string left =
      seconds >= 3 && rate > 0 ? fmt::format("{:.0f} s left", static_cast<double>(total - done) / rate) : "estimating";
  return fmt::format("\r{}: {}/{} points ({:.0f}%), {:.1f} points/s, {}   ", name, done, total,
                     total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, rate, left);
}

void check_options(const SweepRunOptions& options)
{
  if (options.shards < 1 || options.shard < 1 || options.shard > options.shards)
    throw InputError("command line", "--shard",
                     fmt::format("K/N with 1 <= K <= N, got {}/{}", options.shard, options.shards));
  if (options.jobs < 1)
    throw InputError("command line", "--jobs", "must be >= 1");
}

// Claim the folder for this sweep (sweep_folder.hpp), then the rows it holds already (from points.csv, and from
// results.csv for a finished or merged folder), with points.csv created with its header; and a copy of the sweep
// file beside the results, for `plot` and `sweep merge` (they read its axes).
// The folder's record also holds the shard's plan, for `sweep status`.
std::map<size_t, std::string> prepare_folder(const SweepSpec& spec, const SweepRunOptions& options,
                                             const std::string& header, const ShardPoints& plan)
{
  const Provenance provenance = sim::simulation_provenance(options.command_line, sweep_input_files(spec));
  nlohmann::json record       = sweep_record(provenance, spec.simulate.cfg);
  record["shard"]             = {{"k", options.shard}, {"n", options.shards}, {"points", plan.indices.size()},
                                 {"cost", plan.cost},  {"sweep", spec.name},  {"sweep_points", spec.point_count()}};
  claim_sweep_folder(options.out_dir, record, options.resume ? FolderUse::Resume : FolderUse::Start, options.force);
  const fs::path dir(options.out_dir);
  const std::string points_file = (dir / "points.csv").string();
  auto done                     = read_rows((dir / "results.csv").string(), header, false);
  done.merge(read_rows(points_file, header, true));
  if (!fs::exists(points_file) || fs::file_size(points_file) == 0)
    write_file_atomically(points_file, header + '\n');
  if (!fs::exists(dir / "sweep.yaml") || !fs::equivalent(spec.file, dir / "sweep.yaml"))
    fs::copy_file(spec.file, dir / "sweep.yaml", fs::copy_options::overwrite_existing);
  return done;
}

// A worker's rows travel to the parent in batches, each row behind its length (a quoted field may hold a newline):
// a message per row cost a tenth of an analytic point in system calls. A batch leaves when it is this old.
constexpr auto batch_age = std::chrono::milliseconds(20);

std::string batch_entry(const std::string& row)
{
  return std::to_string(row.size()) + ':' + row;
}

std::vector<std::string> batch_rows(const std::string& batch)
{
  std::vector<std::string> rows;
  for (size_t at = 0; at < batch.size();) {
    const size_t colon = batch.find(':', at);
    const size_t size  = std::stoul(batch.substr(at, colon - at));
    rows.push_back(batch.substr(colon + 1, size));
    at = colon + 1 + size;
  }
  return rows;
}

// Worker `worker` of `jobs`: its share of `pending`, evaluated in order and emitted in batches.
void evaluate_share(SweepEvaluator& evaluator, const std::vector<size_t>& pending, int worker, int jobs,
                    const WorkerPool::Emit& emit)
{
  std::string batch;
  auto sent = std::chrono::steady_clock::now();
  for (size_t i = static_cast<size_t>(worker); i < pending.size(); i += static_cast<size_t>(jobs)) {
    batch += batch_entry(csv_line(evaluator.evaluate(pending[i])));
    if (std::chrono::steady_clock::now() - sent >= batch_age) {
      emit(batch);
      batch.clear();
      sent = std::chrono::steady_clock::now();
    }
  }
  if (!batch.empty())
    emit(batch);
}

// Evaluate `pending` over `jobs` worker processes, appending each batch of rows to the points file as it comes (on
// disk before the next: a kill loses only the points in flight, at most 20 ms of each worker's). A worker's failure
// stops the others and is thrown again here with its class.
void evaluate_points(const SweepSpec& spec, const SweepRunOptions& options, const std::vector<size_t>& pending,
                     const std::vector<uint64_t>& costs, std::map<size_t, std::string>& done, SweepRunReport& report)
{
  if (pending.empty())
    return;
  ProgressLog progress(options.out_dir);
  const auto start = std::chrono::steady_clock::now();
  SweepEvaluator evaluator(spec); // loads the platform and model once, before the workers fork
  const int jobs                = std::max(1, std::min<int>(options.jobs, static_cast<int>(pending.size())));
  const std::string points_file = (fs::path(options.out_dir) / "points.csv").string();
  // Never through a symbolic link planted in the folder.
  const int fd = open(points_file.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    throw InputError(points_file, "", std::string("cannot append: ") + std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(fdopen(fd, "ab"), &std::fclose);
  if (!out) {
    close(fd);
    throw InputError(points_file, "", std::string("cannot append: ") + std::strerror(errno));
  }
  WorkerPool pool(
      jobs, [&](int worker, const WorkerPool::Emit& emit) { evaluate_share(evaluator, pending, worker, jobs, emit); });
  const auto exits   = pool.wait([&](int, const std::string& batch) {
    for (const std::string& row : batch_rows(batch)) {
      if (std::fputs((row + "\n").c_str(), out.get()) < 0)
        throw InputError(points_file, "", std::string("cannot write: ") + std::strerror(errno));
      const size_t index = row_index(row, "a worker's row");
      done[index]        = row;
      progress.point(index, costs.at(index));
      ++report.computed;
    }
    if (std::fflush(out.get()) != 0) // a full disk: stop, say so
      throw InputError(points_file, "", std::string("cannot write: ") + std::strerror(errno));
    progress.flush();
    if (options.progress)
      std::cerr << progress_line(spec.name, report.resumed, report.computed, report.points,
                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  });
  const bool written = std::fclose(out.release()) == 0;
  if (options.progress)
    std::cerr << '\n';
  if (pool.first_failure() >= 0)
    exits[static_cast<size_t>(pool.first_failure())].rethrow();
  if (!written)
    throw InputError(points_file, "", "cannot write");
}

} // namespace

SweepRunReport run_sweep(const SweepSpec& spec, const SweepRunOptions& options)
{
  const auto start = std::chrono::steady_clock::now();
  check_options(options);
  try { // SimGrid aborts on an item it does not know: ask it once, before any point
    sim::check_configuration(spec.simulate.cfg);
  } catch (const InputError& e) {
    throw InputError(spec.file, "simulate.cfg", e.what());
  }
  const std::string header = csv_line(sweep_columns(spec));
  const auto costs         = point_costs(spec, shard_cost_model(spec));
  const auto shard_of      = assign_shards(costs, options.shards);
  const ShardPoints plan   = shard_points(costs, shard_of, options.shard - 1);
  auto done                = prepare_folder(spec, options, header, plan);
  clear_failure(options.out_dir);

  SweepRunReport report;
  report.points = plan.indices.size();
  std::vector<size_t> pending;
  for (const size_t index : plan.indices)
    if (done.count(index))
      ++report.resumed;
    else
      pending.push_back(index);
  try {
    evaluate_points(spec, options, pending, costs, done, report);
  } catch (const std::exception& e) {
    record_failure(options.out_dir, e.what()); // for `sweep status`; the run still fails with its class
    throw;
  }

  std::map<size_t, std::string> mine;
  for (const size_t index : plan.indices)
    if (const auto row = done.find(index); row != done.end())
      mine.insert(*row);
  if (mine.size() != report.points)
    throw std::runtime_error(fmt::format("{} of {} points computed: a worker died", mine.size(), report.points));
  write_results((fs::path(options.out_dir) / "results.csv").string(), header, mine);
  report.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

size_t merge_sweeps(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                    const std::vector<std::string>& command_line, bool force)
{
  if (shard_dirs.empty())
    throw InputError("command line", "", "name the shard folders to merge");
  const std::string sweep_file = (fs::path(shard_dirs.front()) / "sweep.yaml").string();
  if (!fs::exists(sweep_file))
    throw InputError(shard_dirs.front(), "", "holds no sweep.yaml: not a sweep folder");
  nlohmann::json record    = read_sweep_record(shard_dirs.front());
  SweepSpec spec           = read_sweep_file(sweep_file);
  spec.file                = sweep_file;
  const std::string header = csv_line(sweep_columns(spec));
  std::map<size_t, std::string> rows;
  for (const auto& dir : shard_dirs) {
    expect_same_sweep(record, read_sweep_record(dir), dir);
    const std::string results = (fs::path(dir) / "results.csv").string();
    if (!fs::exists(results))
      throw InputError(dir, "", "holds no results.csv: the shard did not finish (run it again with --resume)");
    for (auto& [index, row] : read_rows(results, header, false))
      if (!rows.emplace(index, row).second)
        throw InputError(results, "", fmt::format("point {} is also in another shard", index));
  }
  if (rows.size() != spec.point_count())
    throw InputError(out_dir, "", fmt::format("{} of {} points: a shard is missing", rows.size(), spec.point_count()));
  record["command_line"] = command_line;
  record["merged_from"]  = shard_dirs;
  record.erase("shard");
  claim_sweep_folder(out_dir, record, FolderUse::Resume, force);
  if (fs::absolute(sweep_file) != fs::absolute(fs::path(out_dir) / "sweep.yaml"))
    fs::copy_file(sweep_file, fs::path(out_dir) / "sweep.yaml", fs::copy_options::overwrite_existing);
  write_results((fs::path(out_dir) / "results.csv").string(), header, rows);
  return rows.size();
}

} // namespace pipesplit::analysis
