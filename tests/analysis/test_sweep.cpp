// Sweeps: every point equals the solver on the modified scenario, rows survive a kill and --resume completes them
// to the same bytes, shards merge to the whole, and bad sweep files are refused clearly.

#include "analysis/acceleration_region.hpp"
#include "analysis/csv.hpp"
#include "analysis/scenario_overrides.hpp"
#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"
#include "sim/loaded_scenario.hpp"
#include "solver/objective_search.hpp"
#include "solver/solver.hpp"
#include "tests/support/small_disk.hpp"

#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

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

TEST_CASE("a sweep over models uses each point's own model (chains are built once per model)", "[sweep]")
{
  const auto spec           = analysis::read_sweep_file(data_dir + "tiny_models_sweep.yaml");
  const std::string results = run(spec, fresh_dir("models"), 1);
  std::istringstream lines(results);
  std::string line;
  std::getline(lines, line);
  const auto columns = analysis::parse_csv_line(line);
  const auto period  = static_cast<size_t>(std::find(columns.begin(), columns.end(), "period_s") - columns.begin());
  int rows           = 0;
  while (std::getline(lines, line)) {
    const auto row = analysis::parse_csv_line(line);
    INFO("point " << row[0] << ": " << row[1] << ", " << row[2]);
    Scenario scenario = read_scenario(data_dir + "tiny_paper.yaml");
    scenario.model    = row[2];
    auto loaded       = sim::load_scenario(scenario);
    for (auto& link : loaded.problem.platform.links)
      link.bandwidth_Bps = std::stod(row[1]);
    loaded.problem.platform.finalize();
    CHECK(std::stod(row[period]) == Approx(solve(loaded.problem, SolveOptions{}).prediction.period_s).epsilon(1e-9));
    ++rows;
  }
  CHECK(rows == 4);
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
  // The planning section: its objective, constraints and pstates, each named with its line.
  const std::string axis = "  - {path: deployment.max_cuts, values: [1]}\n";
  CHECK_THAT(error_of(head + axis + "plan: {objective: fastest}\n"),
             Catch::Contains("pipesplit_bad_sweep.yaml:4") && Catch::Contains("unknown objective 'fastest'"));
  CHECK_THAT(error_of(head + axis + "plan: {objective: devices, min_rate_hz: -3}\n"),
             Catch::Contains("min_rate_hz") && Catch::Contains("must be a number >= 0"));
  CHECK_THAT(error_of(head + axis + "plan: {max_latency_s: 0}\n"),
             Catch::Contains("max_latency_s") && Catch::Contains("must be a number > 0"));
  CHECK_THAT(error_of(head + axis + "plan: {pstates: fast}\n"), Catch::Contains("expected choose or fixed"));
  CHECK_THAT(error_of(head + axis + "plan: {objective: devices, rate: 3}\n"), Catch::Contains("rate"));
  CHECK_THAT(error_of(head + axis + "plan: {max_energy_j: 2}\n"),
             Catch::Contains("plan.max_energy_j") && Catch::Contains("declares none"));
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

namespace {

// A sweep of tiny_paper (copied into `dir` with absolute paths, so a test may edit it) over b's speed.
analysis::SweepSpec sweep_in(const fs::path& dir, const std::string& name, const std::string& speeds,
                             const std::string& scenario_note = "")
{
  fs::create_directories(dir);
  std::ofstream(dir / "scenario.yaml") << "name: tiny_paper" << scenario_note << "\nplatform: " << data_dir
                                       << "two_boards.xml\nmodel: " << data_dir
                                       << "tiny_model.yaml\nchain: layers\ndevices: [a, b]\n"
                                          "deployment: {threads: 2, parallel_fraction: {fc: 1.0}}\n";
  std::ofstream(dir / (name + ".yaml")) << "format: pipesplit-sweep/1\nname: " << name
                                        << "\nscenario: scenario.yaml\naxes:\n"
                                           "  - {path: platform.hosts.b.speed_ratio, values: ["
                                        << speeds << "]}\n";
  return analysis::read_sweep_file((dir / (name + ".yaml")).string());
}

analysis::SweepRunOptions options_for(const fs::path& out, bool resume, bool force = false, int shard = 1,
                                      int shards = 1)
{
  analysis::SweepRunOptions options;
  options.out_dir = out.string();
  options.resume  = resume;
  options.force   = force;
  options.shard   = shard;
  options.shards  = shards;
  return options;
}

std::string error_of_run(const analysis::SweepSpec& spec, const analysis::SweepRunOptions& options)
{
  try {
    analysis::run_sweep(spec, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("a sweep folder records what made it and refuses to mix sweeps", "[sweep][provenance]")
{
  const auto inputs = fresh_dir("identity_inputs");
  const auto out    = fresh_dir("identity_out");
  const auto first  = sweep_in(inputs / "a", "first", "0.5, 1");
  analysis::run_sweep(first, options_for(out, false));
  const std::string first_results = read_text(out / "results.csv");
  const auto record               = nlohmann::json::parse(read_text(out / "provenance.json"));
  CHECK(record["identity"]["inputs"].size() == 4); // sweep, scenario, platform, model
  CHECK(record["inputs"][1]["role"] == "scenario");
  CHECK(record["inputs"][1]["sha256"].get<std::string>().size() == 64);

  // Another sweep file: refused with or without --resume, accepted with --force (and then only its own rows).
  const auto other = sweep_in(inputs / "b", "other", "0.25, 4");
  CHECK_THAT(error_of_run(other, options_for(out, true)),
             Catch::Contains("another sweep") && Catch::Contains("sweep differs"));
  CHECK_THAT(error_of_run(other, options_for(out, false)), Catch::Contains("another sweep"));
  CHECK(read_text(out / "results.csv") == first_results); // untouched
  analysis::run_sweep(other, options_for(out, false, true));
  CHECK(read_text(out / "results.csv") == run(other, fresh_dir("identity_other_alone"), 1));

  // The same sweep again into its own folder: only with --resume.
  const auto again = fresh_dir("identity_again");
  analysis::run_sweep(first, options_for(again, false));
  CHECK_THAT(error_of_run(first, options_for(again, false)), Catch::Contains("--resume"));
  // The same sweep file, its scenario edited on disk: the scenario is named as what differs.
  const auto edited = sweep_in(inputs / "a", "first", "0.5, 1", "\n# edited");
  CHECK_THAT(error_of_run(edited, options_for(again, true)), Catch::Contains("scenario differs"));
}

TEST_CASE("merge takes shards of one sweep only, and a merged folder is not silently replaced", "[sweep][provenance]")
{
  const auto inputs = fresh_dir("merge_inputs");
  const auto first  = sweep_in(inputs / "a", "first", "0.5, 1, 2");
  const auto other  = sweep_in(inputs / "b", "other", "0.5, 1, 2, 3");
  const auto one = fresh_dir("merge_one"), two = fresh_dir("merge_two"), foreign = fresh_dir("merge_foreign");
  analysis::run_sweep(first, options_for(one, false, false, 1, 2));
  analysis::run_sweep(first, options_for(two, false, false, 2, 2));
  analysis::run_sweep(other, options_for(foreign, false, false, 2, 2));
  const auto merged = fresh_dir("merge_merged");
  CHECK_THROWS_WITH(analysis::merge_sweeps({one.string(), foreign.string()}, merged.string()),
                    Catch::Contains("another sweep"));
  CHECK(analysis::merge_sweeps({one.string(), two.string()}, merged.string()) == 3);
  const std::string whole = read_text(merged / "results.csv");
  CHECK(whole == run(first, fresh_dir("merge_reference"), 1));
  // A new run into the merged folder is refused; --resume finds every point done and keeps the same bytes.
  CHECK_THAT(error_of_run(first, options_for(merged, false)), Catch::Contains("--resume"));
  CHECK_THAT(error_of_run(other, options_for(merged, true)), Catch::Contains("another sweep"));
  analysis::run_sweep(first, options_for(merged, true));
  CHECK(read_text(merged / "results.csv") == whole);
}

TEST_CASE("a sweep on a full disk stops with bad input and writes no results; a planted link is refused",
          "[sweep][output]")
{
  const auto spec = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  const auto dir  = fresh_dir("linked");
  fs::create_directories(dir);
  std::ofstream(dir / "elsewhere") << "not a sweep's";
  fs::create_symlink(dir / "elsewhere", dir / "points.csv");
  CHECK_THAT(error_of_run(spec, options_for(dir, true)), Catch::Contains("symbolic link"));
  CHECK(read_text(dir / "elsewhere") == "not a sweep's");
  if (geteuid() != 0) {
    WARN("skipped the full disk: mounting a small tmpfs needs root");
    return;
  }
  test::SmallDisk disk("sweep", "size=12k"); // room for the provenance and a few rows, not for nine
  REQUIRE(disk.mounted());
  CHECK_THAT(error_of_run(spec, options_for(disk.dir() / "out", false)), Catch::Contains("No space left on device"));
  CHECK_FALSE(fs::exists(disk.dir() / "out" / "results.csv"));
}

TEST_CASE("a sweep too large to run is refused up front", "[sweep][errors][limits]")
{
  const auto dir  = fresh_dir("huge");
  const auto file = dir / "huge.yaml";
  fs::create_directories(dir);
  std::ofstream(file) << "format: pipesplit-sweep/1\nscenario: " << data_dir << "tiny_paper.yaml\naxes:\n"
                      << "  - {path: platform.hosts.b.speed_ratio, range: {from: 0.1, to: 1, steps: 65536}}\n"
                      << "  - {path: platform.hosts.a.speed_ratio, range: {from: 0.1, to: 1, steps: 65536}}\n"
                      << "  - {path: platform.links.cable*.latency, range: {from: 0, to: 1, steps: 65536}}\n"
                      << "  - {path: platform.links.cable*.bandwidth, range: {from: 1e6, to: 1e7, steps: 65536}}\n";
  CHECK_THROWS_WITH(analysis::read_sweep_file(file.string()),
                    Catch::Contains("huge.yaml:5") && Catch::Contains("over the limit"));
}

TEST_CASE("a sweep's simulate.cfg items reach its replays, and an unknown one is refused up front", "[sweep][cfg]")
{
  // As shipped (8 Mbit/s cable), the plan splits; SimGrid's bandwidth factor 0.01 leaves the cable 10 kB/s in the
  // replay, which the cost model does not know.
  const std::string sweep = "format: pipesplit-sweep/1\nscenario: " + data_dir +
                            "tiny_paper.yaml\naxes:\n  - {path: platform.links.*.bandwidth, values: [8Mbps]}\n"
                            "simulate: {all: true, inferences: 20, warmup: 5, cfg: [";
  const auto spec =
      analysis::read_sweep_file(test::temp_file("cfg_sweep.yaml", sweep + "network/bandwidth-factor:0.01]}\n"));
  std::istringstream lines(run(spec, fresh_dir("cfg"), 1));
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  const auto columns = analysis::parse_csv_line(header);
  const auto values  = analysis::parse_csv_line(row);
  auto value         = [&](const std::string& name) {
    return values.at(static_cast<size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin()));
  };
  REQUIRE(value("placement").find(',') != std::string::npos); // a transfer the factor slows
  CHECK(std::stod(value("sim_period_s")) > 10 * std::stod(value("period_s")));

  const auto bad = analysis::read_sweep_file(test::temp_file("bad_cfg_sweep.yaml", sweep + "network/nosuch:1]}\n"));
  CHECK_THROWS_WITH(run(bad, fresh_dir("bad_cfg"), 1), Catch::Contains("bad_cfg_sweep.yaml") &&
                                                           Catch::Contains("simulate.cfg") &&
                                                           Catch::Contains("Bad config key: network/nosuch"));
}

// A sweep with a `plan` section: every point's plan_* columns are what `solve --set ... --objective ...` answers on
// that point (the scenario with the point's values as --set applies them, the request built as solve builds it).
TEST_CASE("a sweep's planning columns equal a direct solve with the same objective at each point", "[sweep][plan]")
{
  const std::string devices_sweep = data_dir + "plan_sweep.yaml";
  std::string energy_text         = read_text(devices_sweep);
  energy_text.replace(energy_text.find("scenario: energy.yaml"), 21, "scenario: " + data_dir + "energy.yaml");
  energy_text.replace(energy_text.find("plan: {objective: devices}"), 26,
                      "plan: {objective: energy, max_latency_s: 3.5}");
  const std::string energy_sweep = test::temp_file("plan_energy_sweep.yaml", energy_text);
  for (const std::string& file : {devices_sweep, energy_sweep}) {
    const auto spec = analysis::read_sweep_file(file);
    REQUIRE(spec.plan.enabled);
    const std::string results = run(spec, fresh_dir("plan"), 1);
    std::istringstream lines(results);
    std::string line;
    std::getline(lines, line);
    const auto columns = analysis::parse_csv_line(line);
    auto column        = [&](const std::string& name) {
      const auto it = std::find(columns.begin(), columns.end(), name);
      REQUIRE(it != columns.end());
      return static_cast<size_t>(it - columns.begin());
    };
    std::set<std::string> placements;
    int rows = 0, infeasible = 0;
    while (std::getline(lines, line)) {
      const auto row = analysis::parse_csv_line(line);
      INFO(file << " point " << row[0]);
      auto loaded = analysis::load_scenario(
          data_dir + "energy.yaml",
          {analysis::parse_override("platform.links.cable.bandwidth=" + row[column("bandwidth")]),
           analysis::parse_override("deployment.source_rate_hz=" + row[column("camera_rate_hz")])});
      solver::PlanRequest request;
      request.objective               = spec.plan.objective;
      request.constraints.min_rate_hz = loaded.problem.deployment.source_rate_hz; // solve's default: the camera's
      if (spec.plan.max_latency_s > 0)
        request.constraints.max_latency_s = spec.plan.max_latency_s;
      request.choose_pstates = true;
      request.node_limit     = spec.node_limit;
      const auto direct      = solver::plan(loaded.problem, request);
      const Problem at_chosen =
          direct.pstates.empty() ? loaded.problem : solver::at_pstates(loaded.problem, direct.pstates);
      if (!direct.feasible) { // proven: no placement meets the constraints at this point
        CHECK(row[column("plan_placement")] == (direct.optimal ? "infeasible" : "not found"));
        CHECK(row[column("plan_devices")].empty());
        ++infeasible;
        continue;
      }
      CHECK(row[column("plan_placement")] == to_string(direct.placement, at_chosen.platform));
      CHECK(std::stoi(row[column("plan_devices")]) == direct.figures.devices);
      CHECK(std::stod(row[column("plan_energy_J")]) == Approx(direct.figures.energy_J).epsilon(1e-9));
      CHECK(std::stod(row[column("plan_latency_s")]) == Approx(direct.figures.latency_s).epsilon(1e-9));
      CHECK(std::stod(row[column("plan_period_s")]) == Approx(direct.figures.period_s).epsilon(1e-9));
      CHECK(std::stod(row[column("plan_headroom_ips")]) == Approx(direct.headroom_ips).epsilon(1e-9));
      CHECK(std::stod(row[column("plan_cost")]) == Approx(direct.figures.cost).epsilon(1e-9));
      CHECK(row[column("plan_proven")] == (direct.optimal ? "yes" : "no"));
      CHECK(std::stod(row[column("min_rate_hz")]) == Approx(request.constraints.min_rate_hz));
      placements.insert(row[column("plan_placement")]);
      ++rows;
    }
    CHECK(rows + infeasible == 9);
    CHECK(placements.size() >= 3); // the answers differ across the grid
  }
}
