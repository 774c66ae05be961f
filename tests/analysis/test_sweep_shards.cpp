// Cost-balanced shards: every point in exactly one shard, loads within one point's cost of each other, the same
// assignment on every call, and lv08, simulated and many-device points weighing more.

#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_shards.hpp"
#include "analysis/sweep_spec.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

using namespace pipesplit::analysis;
namespace fs = std::filesystem;

static const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

static std::string read_text(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

TEST_CASE("shards hold every point once and balance the expected cost", "[sweep][shards]")
{
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t points = std::uniform_int_distribution<size_t>(1, 400)(rng);
    const int shards    = std::uniform_int_distribution<int>(1, 12)(rng);
    std::vector<uint64_t> costs(points);
    for (auto& cost : costs) // analytic, lv08 and simulated points mixed, as in a sweep
      cost = std::vector<uint64_t>{1, 2, 8, 400, 1000, 4000}[std::uniform_int_distribution<size_t>(0, 5)(rng)];
    const auto shard_of = assign_shards(costs, shards);
    REQUIRE(assign_shards(costs, shards) == shard_of); // deterministic
    std::vector<int> seen(points, 0);
    uint64_t lightest = UINT64_MAX, heaviest = 0;
    for (int k = 0; k < shards; ++k) {
      const auto plan = shard_points(costs, shard_of, k);
      for (size_t index : plan.indices)
        ++seen[index];
      lightest = std::min(lightest, plan.cost);
      heaviest = std::max(heaviest, plan.cost);
    }
    INFO("trial " << trial << ": " << points << " points, " << shards << " shards");
    CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    // Each point goes to the least loaded shard: no shard exceeds another by more than the largest point.
    CHECK(heaviest - lightest <= *std::max_element(costs.begin(), costs.end()));
  }
}

TEST_CASE("equal costs give shards whose counts differ by at most one", "[sweep][shards]")
{
  const std::vector<uint64_t> costs(103, 5);
  const auto shard_of = assign_shards(costs, 4);
  for (int k = 0; k < 4; ++k)
    CHECK(shard_points(costs, shard_of, k).indices.size() == (k < 3 ? 26u : 25u));
}

TEST_CASE("a count-balanced split would leave one shard with every expensive point; the cost split does not",
          "[sweep][shards]")
{
  // Every fourth point expensive (an lv08 point among analytic ones): index modulo 4 would give them all to shard 1.
  std::vector<uint64_t> costs(400, 1);
  for (size_t i = 0; i < costs.size(); i += 4)
    costs[i] = 1000;
  const auto shard_of = assign_shards(costs, 4);
  for (int k = 0; k < 4; ++k)
    CHECK(shard_points(costs, shard_of, k).cost == 25 * 1000 + 75);
}

TEST_CASE("point costs: lv08 with many devices and simulated points weigh more", "[sweep][shards]")
{
  const fs::path dir = fs::temp_directory_path() / "pipesplit_shard_costs";
  fs::create_directories(dir);
  std::ofstream(dir / "costs.yaml") << "format: pipesplit-sweep/1\nscenario: " << data_dir
                                    << "tiny_paper.yaml\naxes:\n"
                                       "  - {path: deployment.network_model, values: [ideal, lv08]}\n"
                                       "  - {path: device_count, values: [1, 2]}\n"
                                       "simulate: {sample: 1}\n";
  const auto spec  = read_sweep_file((dir / "costs.yaml").string());
  const auto model = shard_cost_model(spec);
  CHECK_FALSE(model.lv08);
  CHECK(model.devices == 2);
  const auto costs = point_costs(spec, model);
  REQUIRE(costs.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    const uint64_t solve = i >= 2 ? uint64_t{1} << (i % 2 + 1) : analytic_solve_cost;
    CHECK(costs[i] == solve + (spec.simulated(i) ? simulation_cost : 0));
  }
  CHECK(solve_cost(true, 8) == 256);
  CHECK(solve_cost(true, 8) > solve_cost(true, 4));
  CHECK(solve_cost(true, 60) == uint64_t{1} << 24);
  CHECK(simulation_cost > solve_cost(true, 4));
}

TEST_CASE("cost-balanced shards of a sweep merge byte-identical to one run", "[sweep][shards]")
{
  const auto spec = read_sweep_file(data_dir + "tiny_sweep.yaml");
  auto run        = [&](const fs::path& dir, int shard, int shards) {
    fs::remove_all(dir);
    SweepRunOptions options;
    options.out_dir = dir.string();
    options.shard   = shard;
    options.shards  = shards;
    return run_sweep(spec, options);
  };
  const fs::path base = fs::temp_directory_path() / "pipesplit_cost_shards";
  run(base / "whole", 1, 1);
  std::vector<std::string> dirs;
  size_t points = 0;
  for (int k = 1; k <= 4; ++k) {
    dirs.push_back((base / std::to_string(k)).string());
    points += run(dirs.back(), k, 4).points;
  }
  CHECK(points == 9);
  fs::remove_all(base / "merged");
  CHECK(merge_sweeps(dirs, (base / "merged").string()) == 9);
  CHECK(read_text(base / "merged" / "results.csv") == read_text(base / "whole" / "results.csv"));
  CHECK(read_text(base / "merged" / "sweep.yaml") == read_text(base / "whole" / "sweep.yaml"));
}
