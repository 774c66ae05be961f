// sweep status: points done, states, failures and the time left, from folders whose progress is known exactly.

#include "analysis/sweep_progress.hpp"
#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

namespace {

// A shard folder as a run leaves it: its plan in provenance.json, `rows` rows in points.csv, and progress.csv.
void shard_folder(const fs::path& dir, int k, int n, size_t points, uint64_t cost, size_t rows,
                  const std::string& progress)
{
  fs::create_directories(dir);
  std::ofstream(dir / "provenance.json") << nlohmann::json{
      {"identity", {}},
      {"shard",
       {{"k", k},
        {"n", n},
        {"points", points},
        {"cost", cost},
        {"sweep", "s"},
        {"sweep_points", 12}}}}.dump();
  std::ofstream out(dir / "points.csv");
  out << "index,x\n";
  for (size_t i = 0; i < rows; ++i)
    out << i << ",1\n";
  std::ofstream(dir / "progress.csv") << "event,unix_s,index,cost\n" << progress;
}

} // namespace

TEST_CASE("status: done, rates over the latest run and the time left by expected cost", "[sweep][status]")
{
  const fs::path dir = fs::temp_directory_path() / "pipesplit_status";
  fs::remove_all(dir);
  // Shard 1: a first run killed after point 0, a second run (from t=100) that did points 1 and 2 (cost 10 each) by
  // t=104: 20 cost units in 4 s. Left: 40 - 30 = 10 units at 5/s, 2 s.
  shard_folder(dir / "shards" / "1", 1, 3, 4, 40, 3,
               "start,10.000,,\npoint,11.000,0,10\nstart,100.000,,\npoint,102.000,1,10\npoint,104.000,2,10\npoint,10");
  // Shard 2: complete.
  shard_folder(dir / "shards" / "2", 2, 3, 4, 40, 4, "start,0.000,,\npoint,8.000,4,40\n");
  std::ofstream(dir / "shards" / "2" / "results.csv") << "index,x\n4,1\n5,1\n6,1\n7,1\n";
  // Shard 3: not started; the plan in jobs.json says 4 points of cost 30: at the mean rate (5/s and 5/s), 6 s.
  fs::create_directories(dir / "slurm");
  std::ofstream(dir / "slurm" / "jobs.json")
      << R"({"sweep": "s", "points": 12, "shards": 3, "shard_points": [4, 4, 4], "shard_cost": [40, 40, 30]})";

  auto status = sweep_status(dir.string(), 110.0);
  REQUIRE(status.shards.size() == 3);
  CHECK(status.points == 12);
  CHECK(status.done == 7);
  CHECK(status.failed == 0);
  CHECK_FALSE(status.merged);
  const auto& one = status.shards[0];
  CHECK(one.state == "incomplete");
  CHECK(one.done == 3);
  CHECK(one.cost_done == 30); // the cut last line is not counted
  CHECK(*one.rate_cost_s == Approx(5));
  CHECK(*one.rate_points_s == Approx(0.5));
  CHECK(*one.last_point_age_s == Approx(6));
  CHECK(*one.eta_s == Approx(2));
  CHECK(status.shards[1].state == "complete");
  CHECK(*status.shards[1].eta_s == 0);
  const auto& three = status.shards[2];
  CHECK(three.state == "not started");
  CHECK(three.points == 4);
  CHECK(*three.eta_s == Approx(30.0 / 5)); // mean rate of shards 1 (5/s) and 2 (40 units in 8 s: 5/s)
  CHECK(*status.eta_s == Approx(6));

  // A cancelled task: slurmstepd's line in its log makes the shard failed, and the sweep's time left unknown.
  std::ofstream(dir / "slurm" / "shard-1.log")
      << "progress\nslurmstepd-vm: error: *** JOB 8 ON vm CANCELLED AT 2026-11-30T23:03:05 ***\n";
  status = sweep_status(dir.string(), 110.0);
  CHECK(status.failed == 1);
  CHECK(status.shards[0].state == "failed");
  CHECK_THAT(status.shards[0].failure, Catch::Contains("CANCELLED"));
  CHECK_FALSE(status.eta_s);
  const auto json = to_json(status);
  CHECK(json["shards"][0]["state"] == "failed");
  CHECK(json["eta_s"].is_null());
  CHECK(json["shards"][1]["eta_s"] == 0.0);
  CHECK(status.merge_failure.empty());
  std::ofstream(dir / "slurm" / "merge.log") << "pipesplit sweep: error: /x: No space left on device\n";
  CHECK(sweep_status(dir.string(), 110.0).merge_failure == "pipesplit sweep: error: /x: No space left on device");
}

TEST_CASE("status of a plain sweep folder, and the failure a run leaves", "[sweep][status]")
{
  const fs::path dir = fs::temp_directory_path() / "pipesplit_status_plain";
  fs::remove_all(dir);
  const auto spec = read_sweep_file(data_dir + "tiny_sweep.yaml");
  SweepRunOptions options;
  options.out_dir = dir.string();
  run_sweep(spec, options);
  auto status = sweep_status(dir.string(), unix_now());
  REQUIRE(status.shards.size() == 1);
  CHECK(status.name == "tiny_sweep");
  CHECK(status.points == 9);
  CHECK(status.done == 9);
  CHECK(status.shards[0].state == "complete");
  CHECK(status.shards[0].cost_done == status.shards[0].cost);

  // A run that fails leaves its error for status; the next run removes it.
  record_failure(dir.string(), "pipesplit sweep: error: a point failed");
  fs::remove(dir / "results.csv");
  status = sweep_status(dir.string(), unix_now());
  CHECK(status.shards[0].state == "failed");
  CHECK(status.shards[0].failure == "pipesplit sweep: error: a point failed");
  options.resume = true;
  run_sweep(spec, options);
  CHECK_FALSE(fs::exists(dir / "failure.txt"));
  CHECK(sweep_status(dir.string(), unix_now()).shards[0].state == "complete");
  CHECK_THROWS_AS(sweep_status((dir / "results.csv").string(), 0), InputError);
}

TEST_CASE("a sweep stopped by a failing point records the error", "[sweep][status]")
{
  const fs::path dir = fs::temp_directory_path() / "pipesplit_status_failing";
  fs::remove_all(dir);
  // too_many_devices_sweep.yaml asks for more devices than its scenario has: every point fails with bad input.
  const auto spec = read_sweep_file(data_dir + "too_many_devices_sweep.yaml");
  SweepRunOptions options;
  options.out_dir = dir.string();
  CHECK_THROWS_AS(run_sweep(spec, options), InputError);
  const auto status = sweep_status(dir.string(), unix_now());
  CHECK(status.shards[0].state == "failed");
  CHECK_THAT(status.shards[0].failure, Catch::Contains("3 devices asked"));
}

TEST_CASE("status of shard folders run by other means, in shard order", "[sweep][status]")
{
  const fs::path base = fs::temp_directory_path() / "pipesplit_status_shards";
  fs::remove_all(base);
  const auto spec = read_sweep_file(data_dir + "tiny_sweep.yaml");
  std::vector<std::string> dirs;
  for (int k : {3, 1, 2}) {
    SweepRunOptions options;
    options.out_dir = (base / ("shard" + std::to_string(k))).string();
    options.shard   = k;
    options.shards  = 3;
    if (k != 2) // shard 2 not run yet: its folder does not exist
      run_sweep(spec, options);
    dirs.push_back(options.out_dir);
  }
  CHECK_THROWS_WITH(sweep_status(dirs, unix_now()), Catch::Contains("shard2") && Catch::Contains("is not a folder"));
  dirs.pop_back();
  const auto status = sweep_status(dirs, unix_now());
  REQUIRE(status.shards.size() == 2);
  CHECK(status.shards[0].shard == 1);
  CHECK(status.shards[1].shard == 3);
  CHECK(status.points == 9);
  CHECK(status.done == 6);
  CHECK(status.shards[0].state == "complete");
  CHECK_FALSE(status.eta_s); // shard 2 unseen
}
