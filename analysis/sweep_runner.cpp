#include "sweep_runner.hpp"
#include "csv.hpp"
#include "error.hpp"
#include "sweep_point.hpp"

#include <fmt/format.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

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
  size_t start = 0, complete = 0;
  bool first = true;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos)
      break; // partial last line
    const std::string line = text.substr(start, end - start);
    if (first) {
      if (line != header)
        throw InputError(path, "", "holds the results of another sweep (different columns); use another --out");
      first = false;
    } else {
      rows[std::stoul(parse_csv_line(line).front())] = line;
    }
    start = complete = end + 1;
  }
  if (truncate_partial && complete < text.size())
    fs::resize_file(path, complete);
  return rows;
}

void write_results(const std::string& path, const std::string& header, const std::map<size_t, std::string>& rows)
{
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << header << '\n';
    for (const auto& [index, row] : rows)
      out << row << '\n';
    if (!out)
      throw InputError(temporary, "", "cannot write");
  }
  fs::rename(temporary, path); // readers never see a half-written results file
}

struct Worker {
  pid_t pid = -1;
  int fd    = -1;
  std::string buffer;
};

// A worker evaluates its points in order and writes "R <row>\n" per point, or "E <message>\n" and stops.
[[noreturn]] void work(SweepEvaluator& evaluator, const std::vector<size_t>& points, int fd)
{
  auto send = [&](const std::string& line) {
    const std::string message = line + "\n";
    size_t done               = 0;
    while (done < message.size()) {
      const ssize_t n = write(fd, message.data() + done, message.size() - done);
      if (n <= 0)
        _exit(1);
      done += static_cast<size_t>(n);
    }
  };
  try {
    for (size_t index : points)
      send("R " + csv_line(evaluator.evaluate(index)));
  } catch (const std::exception& e) {
    std::string message = e.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    send("E " + message);
  }
  _exit(0);
}

std::string progress_line(const std::string& name, size_t done, size_t total, double seconds)
{
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
  return fmt::format("\r{}: {}/{} points ({:.0f}%), {:.1f} points/s, {:.0f} s left   ", name, done, total,
                     total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, rate, left);
}

} // namespace

SweepRunReport run_sweep(const SweepSpec& spec, const SweepRunOptions& options)
{
  const auto start = std::chrono::steady_clock::now();
  if (options.shards < 1 || options.shard < 1 || options.shard > options.shards)
    throw InputError("command line", "--shard",
                     fmt::format("K/N with 1 <= K <= N, got {}/{}", options.shard, options.shards));
  if (options.jobs < 1)
    throw InputError("command line", "--jobs", "must be >= 1");
  const fs::path dir(options.out_dir);
  fs::create_directories(dir);
  const std::string header      = csv_line(sweep_columns(spec));
  const std::string points_file = (dir / "points.csv").string();
  if (fs::exists(points_file) && !options.resume)
    throw InputError(points_file, "", "exists: this folder holds a sweep already; add --resume to complete it");
  auto done = read_rows(points_file, header, true);
  if (!fs::exists(points_file) || fs::file_size(points_file) == 0)
    std::ofstream(points_file, std::ios::binary) << header << '\n';
  // A copy of the sweep file beside the results, for `plot` and `sweep merge` (they read its axes).
  if (!fs::exists(dir / "sweep.yaml") || !fs::equivalent(spec.file, dir / "sweep.yaml"))
    fs::copy_file(spec.file, dir / "sweep.yaml", fs::copy_options::overwrite_existing);

  SweepRunReport report;
  std::vector<size_t> pending;
  for (size_t index = static_cast<size_t>(options.shard - 1); index < spec.point_count();
       index += static_cast<size_t>(options.shards)) {
    ++report.points;
    if (done.count(index))
      ++report.resumed;
    else
      pending.push_back(index);
  }

  SweepEvaluator evaluator(spec); // loads the platform and model once, before the workers fork
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(pending.size())));
  std::vector<Worker> workers(pending.empty() ? 0 : jobs);
  std::fflush(nullptr);
  for (int w = 0; w < static_cast<int>(workers.size()); ++w) {
    std::vector<size_t> mine;
    for (size_t i = static_cast<size_t>(w); i < pending.size(); i += static_cast<size_t>(jobs))
      mine.push_back(pending[i]);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
      throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid == 0) {
      close(pipe_fds[0]);
      work(evaluator, mine, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    workers[w] = Worker{pid, pipe_fds[0], ""};
  }

  std::FILE* out = std::fopen(points_file.c_str(), "ab");
  std::string failure;
  size_t open = workers.size();
  while (open > 0) {
    std::vector<pollfd> fds;
    for (const auto& w : workers)
      fds.push_back(pollfd{w.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0)
      continue;
    for (size_t i = 0; i < workers.size(); ++i) {
      Worker& w = workers[i];
      if (w.fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char chunk[65536];
      const ssize_t n = read(w.fd, chunk, sizeof chunk);
      if (n <= 0) {
        close(w.fd);
        w.fd = -1;
        --open;
        continue;
      }
      w.buffer.append(chunk, static_cast<size_t>(n));
      size_t newline;
      while ((newline = w.buffer.find('\n')) != std::string::npos) {
        const std::string line = w.buffer.substr(0, newline);
        w.buffer.erase(0, newline + 1);
        if (line.rfind("E ", 0) == 0) {
          failure = line.substr(2);
          continue;
        }
        const std::string row = line.substr(2);
        std::fputs((row + "\n").c_str(), out);
        std::fflush(out); // on disk before the next point: a kill loses only points in flight
        done[std::stoul(parse_csv_line(row).front())] = row;
        ++report.computed;
        if (options.progress)
          std::cerr << progress_line(spec.name, report.resumed + report.computed, report.points,
                                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    }
    if (!failure.empty())
      for (auto& w : workers)
        if (w.fd >= 0)
          kill(w.pid, SIGTERM);
  }
  std::fclose(out);
  for (auto& w : workers)
    waitpid(w.pid, nullptr, 0);
  if (options.progress)
    std::cerr << '\n';
  if (!failure.empty())
    throw InputError(failure);
  std::map<size_t, std::string> mine;
  for (const auto& [index, row] : done)
    if (index % static_cast<size_t>(options.shards) == static_cast<size_t>(options.shard - 1))
      mine[index] = row;
  if (mine.size() != report.points)
    throw std::runtime_error(fmt::format("{} of {} points computed: a worker died", mine.size(), report.points));
  write_results((dir / "results.csv").string(), header, mine);
  report.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

size_t merge_sweeps(const std::vector<std::string>& shard_dirs, const std::string& out_dir)
{
  if (shard_dirs.empty())
    throw InputError("command line", "", "name the shard folders to merge");
  const std::string sweep_file = (fs::path(shard_dirs.front()) / "sweep.yaml").string();
  if (!fs::exists(sweep_file))
    throw InputError(shard_dirs.front(), "", "holds no sweep.yaml: not a sweep folder");
  SweepSpec spec           = read_sweep_file(sweep_file);
  spec.file                = sweep_file;
  const std::string header = csv_line(sweep_columns(spec));
  std::map<size_t, std::string> rows;
  for (const auto& dir : shard_dirs) {
    const std::string results = (fs::path(dir) / "results.csv").string();
    if (!fs::exists(results))
      throw InputError(dir, "", "holds no results.csv: the shard did not finish (run it again with --resume)");
    for (auto& [index, row] : read_rows(results, header, false))
      if (!rows.emplace(index, row).second)
        throw InputError(results, "", fmt::format("point {} is also in another shard", index));
  }
  if (rows.size() != spec.point_count())
    throw InputError(out_dir, "", fmt::format("{} of {} points: a shard is missing", rows.size(), spec.point_count()));
  fs::create_directories(out_dir);
  if (fs::absolute(sweep_file) != fs::absolute(fs::path(out_dir) / "sweep.yaml"))
    fs::copy_file(sweep_file, fs::path(out_dir) / "sweep.yaml", fs::copy_options::overwrite_existing);
  write_results((fs::path(out_dir) / "results.csv").string(), header, rows);
  return rows.size();
}

} // namespace pipesplit::analysis
