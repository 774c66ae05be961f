#include "analysis/sweep_progress.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace pipesplit::analysis {

namespace {

const char* const progress_header = "event,unix_s,index,cost";

std::unique_ptr<std::FILE, int (*)(std::FILE*)> open_for_append(const std::string& path)
{
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError(path, "", std::string("cannot append: ") + std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(fdopen(fd, "ab"), &std::fclose);
  if (!file) {
    close(fd);
    throw InputError(path, "", std::string("cannot append: ") + std::strerror(errno));
  }
  return file;
}

std::string read_text(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// Complete lines of a CSV file after its header.
size_t row_count(const fs::path& path)
{
  const std::string text = read_text(path);
  const auto lines       = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  return lines > 0 ? lines - 1 : 0;
}

template <typename T>
bool parse(const std::string& text, T& value)
{
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string> split(const std::string& line)
{
  std::vector<std::string> fields(1);
  for (char c : line)
    if (c == ',')
      fields.emplace_back();
    else
      fields.back().push_back(c);
  return fields;
}

// The latest run's rate and the cost of every point done, from progress.csv; lines that do not parse (a line cut
// short by a kill) are skipped: the file informs, results never depend on it.
void read_progress(const fs::path& path, double now, ShardStatus& shard)
{
  std::ifstream file(path);
  std::map<size_t, uint64_t> done;
  double start = 0, last = 0;
  uint64_t run_cost = 0;
  size_t run_points = 0;
  for (std::string line; std::getline(file, line);) {
    const auto f = split(line);
    double time  = 0;
    if (f.size() != 4 || !parse(f[1], time))
      continue;
    size_t index  = 0;
    uint64_t cost = 0;
    if (f[0] == "start") {
      start = last = time;
      run_cost = run_points = 0;
    } else if (f[0] == "point" && parse(f[2], index) && parse(f[3], cost)) {
      done[index] = cost;
      run_cost += cost;
      ++run_points;
      last = time;
    }
  }
  for (const auto& [index, cost] : done)
    shard.cost_done += cost;
  if (run_points > 0) {
    shard.last_point_age_s = std::max(0.0, now - last);
    if (last > start) {
      shard.rate_points_s = static_cast<double>(run_points) / (last - start);
      shard.rate_cost_s   = static_cast<double>(run_cost) / (last - start);
    }
  }
}

// The last line of a Slurm task's log that says why it stopped: slurmstepd's "CANCELLED", "TIME LIMIT" or "OUT OF
// MEMORY", or an error line (pipesplit's own "pipesplit sweep: error: ...").
std::string failure_in_log(const fs::path& log)
{
  std::ifstream file(log);
  std::string found;
  for (std::string line; std::getline(file, line);)
    for (const char* mark : {"error:", "CANCELLED", "TIME LIMIT", "OUT OF MEMORY", "oom-kill"})
      if (line.find(mark) != std::string::npos) {
        found = line;
        break;
      }
  return found;
}

std::optional<nlohmann::json> read_json(const fs::path& path)
{
  std::ifstream file(path);
  if (!file)
    return std::nullopt;
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path.string(), "", std::string("unreadable: ") + e.what());
  }
}

ShardStatus shard_status(const fs::path& folder, int number, const fs::path& log, double now, SweepStatus& sweep)
{
  ShardStatus shard;
  shard.shard = number;
  if (const auto record = read_json(folder / "provenance.json"); record && record->contains("shard")) {
    const auto& plan = record->at("shard");
    shard.shard      = plan.value("k", number);
    shard.points     = plan.value("points", size_t{0});
    shard.cost       = plan.value("cost", uint64_t{0});
    sweep.points     = plan.value("sweep_points", sweep.points);
    sweep.name       = plan.value("sweep", sweep.name);
  }
  const bool complete = fs::exists(folder / "results.csv");
  shard.done          = complete ? row_count(folder / "results.csv") : row_count(folder / "points.csv");
  read_progress(folder / "progress.csv", now, shard);
  if (complete)
    shard.cost_done = shard.cost;
  if (fs::exists(folder / "failure.txt")) {
    shard.failure = read_text(folder / "failure.txt");
    while (!shard.failure.empty() && shard.failure.back() == '\n')
      shard.failure.pop_back();
  } else if (!complete && !log.empty()) {
    shard.failure = failure_in_log(log);
  }
  shard.state = complete                                     ? "complete"
                : !shard.failure.empty()                     ? "failed"
                : !fs::exists(folder)                        ? "not started"
                : shard.done == 0 && !shard.last_point_age_s ? "started"
                                                             : "incomplete";
  return shard;
}

// Each unfinished shard's time left at its own measured rate (cost per second), or, before its first points, at the
// mean rate of the others; the sweep's is the slowest shard's. Unknown while a shard failed (it needs a resubmission)
// or when no shard has a rate yet.
void estimate(SweepStatus& status)
{
  double sum = 0;
  int rated  = 0;
  for (const auto& shard : status.shards)
    if (shard.rate_cost_s) {
      sum += *shard.rate_cost_s;
      ++rated;
    }
  bool known = true;
  double eta = 0;
  for (auto& shard : status.shards) {
    if (shard.state == "complete") {
      shard.eta_s = 0.0;
      continue;
    }
    const double rate = shard.rate_cost_s ? *shard.rate_cost_s : rated ? sum / rated : 0;
    if (shard.state != "failed" && rate > 0 && shard.cost > 0)
      shard.eta_s = static_cast<double>(shard.cost - std::min(shard.cost, shard.cost_done)) / rate;
    known = known && shard.eta_s.has_value();
    eta   = std::max(eta, shard.eta_s.value_or(0));
  }
  if (known)
    status.eta_s = eta;
}

} // namespace

double unix_now()
{
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ProgressLog::ProgressLog(const std::string& dir)
    : path_((fs::path(dir) / "progress.csv").string()), file_(open_for_append(path_))
{
  if (std::ftell(file_.get()) == 0 && fs::file_size(path_) == 0)
    line(progress_header);
  line(fmt::format("start,{:.3f},,", unix_now()));
  flush();
}

void ProgressLog::point(size_t index, uint64_t cost)
{
  line(fmt::format("point,{:.3f},{},{}", unix_now(), index, cost));
}

void ProgressLog::line(const std::string& text)
{
  if (std::fputs((text + "\n").c_str(), file_.get()) < 0)
    throw InputError(path_, "", std::string("cannot write: ") + std::strerror(errno));
}

void ProgressLog::flush()
{
  if (std::fflush(file_.get()) != 0)
    throw InputError(path_, "", std::string("cannot write: ") + std::strerror(errno));
}

void record_failure(const std::string& dir, const std::string& message)
{
  write_file_atomically((fs::path(dir) / "failure.txt").string(), message + "\n");
}

void clear_failure(const std::string& dir)
{
  std::error_code ignored;
  fs::remove(fs::path(dir) / "failure.txt", ignored);
}

namespace {

// DIR/shards/K of `sweep --slurm`, with the plan of DIR/slurm/jobs.json for shards not started.
void read_slurm_layout(const fs::path& root, double now, SweepStatus& status)
{
  int shards = status.jobs.value("shards", 0);
  for (const auto& entry : fs::directory_iterator(root / "shards"))
    if (int k = 0; parse(entry.path().filename().string(), k))
      shards = std::max(shards, k);
  for (int k = 1; k <= shards; ++k) {
    auto shard = shard_status(root / "shards" / std::to_string(k), k, root / "slurm" / fmt::format("shard-{}.log", k),
                              now, status);
    if (shard.points == 0 && status.jobs.contains("shard_points")) { // not started: the plan says
      shard.points = status.jobs["shard_points"].at(static_cast<size_t>(k - 1)).get<size_t>();
      shard.cost   = status.jobs["shard_cost"].at(static_cast<size_t>(k - 1)).get<uint64_t>();
    }
    status.shards.push_back(shard);
  }
  status.merged = fs::exists(root / "results.csv") && row_count(root / "results.csv") == status.points;
  if (!status.merged)
    status.merge_failure = failure_in_log(root / "slurm" / "merge.log");
}

// The queue's word over the folders', then the totals and the time left.
void summarise(SweepStatus& status, const QueueStates& queue)
{
  for (auto& shard : status.shards)
    if (const auto state = queue.find(shard.shard); state != queue.end() && shard.state != "complete") {
      shard.state = state->second == "PD" ? "queued" : "running";
      shard.failure.clear(); // of an earlier run: the task is back in the queue
    }
  if (const auto merge = queue.find(0); merge != queue.end())
    status.merge_job_state = merge->second;
  for (const auto& shard : status.shards) {
    status.done += shard.done;
    status.failed += shard.state == "failed";
  }
  estimate(status);
  size_t planned = 0;
  for (const auto& shard : status.shards)
    planned += shard.points;
  if (planned < status.points) // shards this status does not see: their time is unknown
    status.eta_s.reset();
}

void expect_sweep_folder(const fs::path& dir)
{
  if (!fs::is_directory(dir))
    throw InputError(dir.string(), "", "is not a folder");
  if (!fs::exists(dir / "provenance.json") && !fs::is_directory(dir / "shards"))
    throw InputError(dir.string(), "", "holds no provenance.json nor shards/: not a sweep folder of this pipesplit");
}

} // namespace

SweepStatus sweep_status(const std::string& dir, double now_unix, const QueueStates& queue)
{
  const fs::path root(dir);
  expect_sweep_folder(root);
  SweepStatus status;
  status.dir = dir;
  if (auto jobs = read_json(root / "slurm" / "jobs.json")) {
    status.jobs   = *jobs;
    status.name   = jobs->value("sweep", "");
    status.points = jobs->value("points", size_t{0});
  }
  if (fs::is_directory(root / "shards"))
    read_slurm_layout(root, now_unix, status);
  else
    status.shards.push_back(shard_status(root, 1, {}, now_unix, status));
  summarise(status, queue);
  return status;
}

SweepStatus sweep_status(const std::vector<std::string>& shard_dirs, double now_unix)
{
  if (shard_dirs.size() == 1)
    return sweep_status(shard_dirs.front(), now_unix);
  SweepStatus status;
  for (const auto& dir : shard_dirs) {
    expect_sweep_folder(dir);
    status.dir += (status.dir.empty() ? "" : " ") + dir;
    status.shards.push_back(shard_status(dir, static_cast<int>(status.shards.size()) + 1, {}, now_unix, status));
  }
  std::stable_sort(status.shards.begin(), status.shards.end(),
                   [](const ShardStatus& a, const ShardStatus& b) { return a.shard < b.shard; });
  summarise(status, {});
  return status;
}

nlohmann::json to_json(const SweepStatus& status)
{
  auto optional = [](const std::optional<double>& value) { return value ? nlohmann::json(*value) : nlohmann::json(); };
  nlohmann::json shards = nlohmann::json::array();
  for (const auto& shard : status.shards)
    shards.push_back({{"shard", shard.shard},
                      {"points", shard.points},
                      {"done", shard.done},
                      {"cost", shard.cost},
                      {"cost_done", shard.cost_done},
                      {"state", shard.state},
                      {"failure", shard.failure},
                      {"rate_points_s", optional(shard.rate_points_s)},
                      {"rate_cost_s", optional(shard.rate_cost_s)},
                      {"last_point_age_s", optional(shard.last_point_age_s)},
                      {"eta_s", optional(shard.eta_s)}});
  return {{"dir", status.dir},
          {"sweep", status.name},
          {"points", status.points},
          {"done", status.done},
          {"failed", status.failed},
          {"merged", status.merged},
          {"merge_job_state", status.merge_job_state},
          {"merge_failure", status.merge_failure},
          {"eta_s", optional(status.eta_s)},
          {"shards", shards},
          {"jobs", status.jobs}};
}

} // namespace pipesplit::analysis
