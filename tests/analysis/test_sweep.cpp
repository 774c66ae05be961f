// Sweeps: every point equals the solver on the modified scenario, rows survive a kill and --resume completes them
// to the same bytes, shards merge to the whole, and bad sweep files are refused clearly.

#include "analysis/acceleration_region.hpp"
#include "analysis/csv.hpp"
#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/solver.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

static fs::path fresh_dir(const std::string& name)
{
  const auto dir = fs::temp_directory_path() / ("pipesplit_sweep_" + name);
  fs::remove_all(dir);
  return dir;
}

static std::string read_text(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

static std::string run(const analysis::SweepSpec& spec, const fs::path& dir, int jobs, bool resume = false,
                       int shard = 1, int shards = 1)
{
  analysis::SweepRunOptions options;
  options.out_dir = dir.string();
  options.jobs    = jobs;
  options.resume  = resume;
  options.shard   = shard;
  options.shards  = shards;
  analysis::run_sweep(spec, options);
  return read_text(dir / "results.csv");
}

TEST_CASE("a sweep's points are the solver's answers on the modified scenario", "[sweep]")
{
  const auto spec = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  REQUIRE(spec.point_count() == 9);
  CHECK(std::get<double>(spec.axes[0].values[1]) == Approx(1e6)); // 0.1 .. 10 MB/s, log: 1 MB/s in the middle
  const std::string results = run(spec, fresh_dir("basic"), 2);
  std::istringstream lines(results);
  std::string line;
  std::getline(lines, line);
  const auto columns = analysis::parse_csv_line(line);
  auto column        = [&](const std::string& name) {
    return static_cast<size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  int rows = 0, simulated = 0;
  while (std::getline(lines, line)) {
    const auto row       = analysis::parse_csv_line(line);
    const size_t index   = std::stoul(row[0]);
    const double bytes_s = std::stod(row[1]);
    const double ratio   = std::stod(row[2]);
    INFO("point " << index);
    // The same point by hand: the scenario, then the platform edited, then the solver.
    auto loaded = sim::load_scenario(data_dir + "tiny_paper.yaml");
    for (auto& link : loaded.problem.platform.links)
      link.bandwidth_Bps = bytes_s;
    loaded.problem.platform.hosts[1].core_speed_flops *= ratio;
    loaded.problem.platform.finalize();
    const SolveResult best   = solve(loaded.problem, SolveOptions{});
    const SolveResult single = best_single_device(loaded.problem);
    CHECK(std::stod(row[column("period_s")]) == Approx(best.prediction.period_s).epsilon(1e-9));
    CHECK(std::stod(row[column("speedup")]) ==
          Approx(single.prediction.period_s / best.prediction.period_s).epsilon(1e-9));
    const auto region = analysis::acceleration_region(loaded.problem);
    CHECK((row[column("cf_one_cut_helps")] == "1") == region.helps_two_way);
    // Two devices: the closed form decides exactly as the solver.
    CHECK((std::stod(row[column("speedup")]) > 1 + 1e-12) == region.helps_two_way);
    if (!row[column("sim_period_s")].empty()) {
      ++simulated;
      CHECK(std::stod(row[column("sim_period_s")]) == Approx(best.prediction.period_s).epsilon(1e-3));
    }
    ++rows;
  }
  CHECK(rows == 9);
  CHECK(simulated == 3);
}

TEST_CASE("a killed sweep resumes to the same bytes; jobs do not change them", "[sweep]")
{
  const auto spec         = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  const std::string whole = run(spec, fresh_dir("whole"), 1);
  CHECK(run(spec, fresh_dir("jobs"), 3) == whole);

  // What a kill leaves: the header, some rows and half a row, and no results.csv.
  const auto dir = fresh_dir("killed");
  run(spec, dir, 2);
  fs::remove(dir / "results.csv");
  std::string points = read_text(dir / "points.csv");
  size_t cut         = 0;
  for (int newline = 0; newline < 5; ++newline) // header and four rows
    cut = points.find('\n', cut) + 1;
  std::ofstream(dir / "points.csv", std::ios::binary) << points.substr(0, cut) << points.substr(cut, 7);
  CHECK_THROWS_AS(run(spec, dir, 2), InputError); // refuses to overwrite without --resume
  CHECK(run(spec, dir, 2, true) == whole);
}

TEST_CASE("shards merge into the whole sweep", "[sweep]")
{
  const auto spec         = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  const std::string whole = run(spec, fresh_dir("reference"), 2);
  const auto first = fresh_dir("shard1"), second = fresh_dir("shard2"), merged = fresh_dir("merged");
  run(spec, first, 1, false, 1, 2);
  run(spec, second, 1, false, 2, 2);
  CHECK_THROWS_AS(analysis::merge_sweeps({first.string()}, merged.string()), InputError); // a shard is missing
  CHECK(analysis::merge_sweeps({first.string(), second.string()}, merged.string()) == 9);
  CHECK(read_text(merged / "results.csv") == whole);
}

TEST_CASE("bad sweep files are refused with the field and line", "[sweep][errors]")
{
  auto error_of = [](const std::string& text) {
    const auto path = fs::temp_directory_path() / "pipesplit_bad_sweep.yaml";
    std::ofstream(path) << text;
    try {
      const auto spec = analysis::read_sweep_file(path.string());
      analysis::SweepRunOptions options;
      options.out_dir = fresh_dir("bad").string();
      analysis::run_sweep(spec, options);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string head = "scenario: " + data_dir + "tiny_paper.yaml\naxes:\n";
  CHECK_THAT(error_of(head + "  - {path: platform.links.cable*.bandwidth, range: {from: 1Mbps, to: 0, steps: 3}}\n"),
             Catch::Contains("pipesplit_bad_sweep.yaml:3") && Catch::Contains("must be > 0"));
  CHECK_THAT(error_of(head + "  - {path: platform.links.cable*.color, values: [1]}\n"),
             Catch::Contains("unknown attribute 'color'"));
  CHECK_THAT(error_of(head + "  - {path: platform.links.wifi*.bandwidth, values: [1e6]}\n"),
             Catch::Contains("'wifi*' matches nothing"));
  CHECK_THAT(error_of(head + "  - {path: model, values: [resnet1800]}\n"), Catch::Contains("resnet1800"));
  CHECK_THAT(error_of(head + "  - {path: model, values: [tiny], range: {from: 1, to: 2, steps: 2}}\n"),
             Catch::Contains("either values or range"));
  CHECK_THAT(error_of("axes: []\n"), Catch::Contains("field 'scenario'") && Catch::Contains("missing"));
  // A name with a newline would split its CSV row (a garbage line on --resume); a grid too large to hold.
  CHECK_THAT(error_of(head + "  - {path: model, values: [\"tiny\\nx\"]}\n"),
             Catch::Contains("pipesplit_bad_sweep.yaml:3") && Catch::Contains("'tiny' is followed by code 10"));
  const std::string bandwidth =
      "  - {path: platform.links.cable*.bandwidth, range: {from: 1e6, to: 2e6, steps: 100000}}\n";
  const std::string latency = "  - {path: platform.links.cable*.latency, range: {from: 0, to: 1, steps: 100000}}\n";
  CHECK_THAT(error_of(head + bandwidth + latency),
             Catch::Contains("pipesplit_bad_sweep.yaml:4") && Catch::Contains("10000000000 points, over the limit"));
}

TEST_CASE("a points file with a garbage line is refused on --resume, naming the line", "[sweep][errors]")
{
  const auto spec = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  const auto dir  = fresh_dir("garbage");
  run(spec, dir, 1);
  std::string points = read_text(dir / "points.csv");
  const size_t row2  = points.find('\n', points.find('\n') + 1) + 1; // after the header and one row
  std::ofstream(dir / "points.csv", std::ios::binary) << points.substr(0, row2) << "garbage,1,2\n"
                                                      << points.substr(row2);
  CHECK_THAT(test::error_of([&] { run(spec, dir, 1, true); }),
             Catch::Contains("points.csv:3") && Catch::Contains("'garbage' is not a point index"));
}
