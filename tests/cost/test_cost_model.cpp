// The cost model against figures computed by hand, and against the paper's formula
// T(x) = max(max_n Tc(n), max_{a != b} Tt(a, b)) in the paper's setting (no latency, one link per device pair,
// full-core stages, no input or output transfer).

#include "cost/cost_model.hpp"
#include "cost/network_cost.hpp"
#include "tests/support/fixtures.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>

using namespace pipesplit;
using namespace pipesplit::cost;
using namespace pipesplit::test;

TEST_CASE("two stages on a star: every figure by hand", "[cost]")
{
  // h0: 2 cores of 1 GFLOP/s, h1: 2 cores of 2 GFLOP/s; cables 100 MB/s, 1 ms each way.
  Problem problem =
      paper_problem(star_platform({1e9, 2e9}, 2, 100e6, 1e-3), hand_chain({4e9, 6e9}, {50e6, 1e6}, 2e6), false);
  problem.source = 0;
  problem.sink   = 0;
  const Placement placement{{Stage{0, 0, 0, 2}, Stage{1, 1, 1, 2}}};
  const Prediction p = predict(problem, placement);

  REQUIRE(p.stages.size() == 2);
  CHECK(p.stages[0].compute_s == Approx(4e9 / (2 * 1e9)).epsilon(1e-12)); // 2 s
  CHECK(p.stages[1].compute_s == Approx(6e9 / (2 * 2e9)).epsilon(1e-12)); // 1.5 s
  // Input stays on h0 (the source); the cut goes h0 -> h1: 2 ms + 50 MB / 100 MB/s; the output h1 -> h0.
  REQUIRE(p.transfers.size() == 2);
  CHECK(p.transfers[0].bytes == 50e6);
  CHECK(p.transfers[0].time_s == Approx(2e-3 + 0.5).epsilon(1e-12));
  CHECK(p.transfers[1].time_s == Approx(2e-3 + 1e6 / 100e6).epsilon(1e-12));
  CHECK(p.period_s == Approx(2.0).epsilon(1e-12));
  CHECK(p.bottleneck.kind == ResourceKind::Device);
  CHECK(p.bottleneck.name == "h0");
  CHECK(p.throughput_ips == Approx(0.5).epsilon(1e-12));
  CHECK(p.latency_s == Approx(2.0 + 0.502 + 1.5 + 0.012).epsilon(1e-12));
  // Memory: no weights; queue depth 2 x (input + output) per stage.
  CHECK(p.stages[0].memory_bytes == Approx(2 * (2e6 + 50e6)));
  CHECK(p.stages[1].memory_bytes == Approx(2 * (50e6 + 1e6)));
}

TEST_CASE("a slow link becomes the bottleneck, latency included in the sender's load", "[cost]")
{
  Problem problem =
      paper_problem(star_platform({1e9, 1e9}, 1, 10e6, 0.25), hand_chain({1e9, 1e9}, {30e6, 0}, 0), false);
  const Prediction p = predict(problem, Placement{{Stage{0, 0, 0, 1}, Stage{1, 1, 1, 1}}});
  // Link load 30 MB / 10 MB/s = 3 s on h0_UP and h1_DOWN; the sender also waits 0.5 s of latency.
  CHECK(p.period_s == Approx(3.5));
  CHECK(p.bottleneck.kind == ResourceKind::Transfer);
  double up = 0;
  for (const auto& load : p.loads)
    if (load.name == "h0_UP")
      up = load.load_s;
  CHECK(up == Approx(3.0));
}

TEST_CASE("stages sharing a device add up; a SHARED link carries both directions", "[cost]")
{
  // One shared link between h0 and h1 used both ways: h0 -> h1 -> h0 (device reuse).
  Platform platform = two_hosts("h0", "h1", LinkInfo{.name = "wire", .bandwidth_Bps = 1e6, .sharing = Sharing::Shared});
  platform.hosts    = {host("h0", 4, 1e9), host("h1", 4, 1e9)};
  Problem problem   = paper_problem(platform, hand_chain({4e9, 8e9, 4e9}, {1e6, 2e6, 0}, 0), true);
  const Prediction p = predict(problem, Placement{{Stage{0, 0, 0, 4}, Stage{1, 1, 1, 4}, Stage{0, 2, 2, 4}}});
  // h0 runs 1 s + 1 s = 2 s; h1 runs 2 s; the wire carries 1 MB + 2 MB at 1 MB/s = 3 s.
  CHECK(p.period_s == Approx(3.0));
  CHECK(p.bottleneck.name == "wire");
  // Half-core stages on one 4-core device overlap: two 2-thread stages of 1 s each fit in 1 s.
  problem.platform.links[0].bandwidth_Bps = 1e9;
  problem.platform.finalize();
  const Prediction q = predict(problem, Placement{{Stage{0, 0, 0, 2}, Stage{1, 1, 1, 4}, Stage{0, 2, 2, 2}}});
  double h0          = 0;
  for (const auto& load : q.loads)
    if (load.name == "h0")
      h0 = load.load_s;
  CHECK(q.stages[0].compute_s == Approx(2.0)); // 4 GFLOP on 2 x 1 GFLOP/s
  CHECK(h0 == Approx(2.0));                    // max(2 x 2 + 2 x 2 core-s / 4 cores, 2 s)
}

TEST_CASE("a FATPIPE link is never shared", "[cost]")
{
  const Platform platform =
      two_hosts("h0", "h1", LinkInfo{.name = "fat", .bandwidth_Bps = 1e6, .sharing = Sharing::FatPipe});
  Problem problem    = paper_problem(platform, hand_chain({1e6, 1e6, 1e6}, {2e6, 3e6, 0}, 0), true);
  const Prediction p = predict(problem, Placement{{Stage{0, 0, 0, 1}, Stage{1, 1, 1, 1}, Stage{0, 2, 2, 1}}});
  CHECK(p.period_s == Approx(3.0)); // the larger transfer alone, not 2 + 3
}

TEST_CASE("a WiFi cell crossed twice halves a lone flow's rate", "[cost]")
{
  const Platform platform = two_hosts(
      "a", "b", LinkInfo{.name = "air", .bandwidth_Bps = 1e6, .latency_s = 1e-3, .sharing = Sharing::Shared}, 2);
  CHECK(platform.routes[0][1]->bandwidth_Bps == 0.5e6);
  CHECK(platform.routes[0][1]->latency_s == 2e-3);
  CHECK(transfer_seconds(*platform.routes[0][1], 1e6) == Approx(2.002));
}

TEST_CASE("Amdahl thread scaling per op type", "[cost]")
{
  Problem problem = paper_problem(star_platform({1e9}, 4, 1e6, 0), hand_chain({1e9}, {0}, 0), false);
  problem.compute.parallel_fraction["conv"] = 0.75;
  // speed-up(4) = 1 / (0.25 + 0.75 / 4) = 2.2857...
  const Prediction p = predict(problem, Placement{{Stage{0, 0, 0, 4}}});
  CHECK(p.stages[0].compute_s == Approx((0.25 + 0.75 / 4) * 1.0).epsilon(1e-12));
  problem.platform.hosts[0].parallel_fraction["conv"] = 0.5; // a host property overrides the scenario
  CHECK(predict(problem, Placement{{Stage{0, 0, 0, 4}}}).stages[0].compute_s == Approx(0.5 + 0.5 / 4));
}

TEST_CASE("measured profiles replace the analytic estimate", "[cost]")
{
  Problem problem = paper_problem(star_platform({1e9}, 4, 1e6, 0), hand_chain({1e9, 1e9}, {0, 0}, 0), false);
  problem.platform.hosts[0].profile            = "pi4";
  problem.chain.blocks[0].measured_s["pi4"][4] = 0.123;
  problem.chain.blocks[0].measured_s["pi4"][1] = 0.4;
  const Prediction p                           = predict(problem, Placement{{Stage{0, 0, 1, 4}}});
  CHECK(p.stages[0].compute_s == Approx(0.123 + 0.25)); // block 1 has no measurement: 1 GFLOP on 4 cores
  CHECK_FALSE(p.stages[0].measured);
  // At 2 threads block 0 uses the nearest measurement (1 thread: 0.4 s) scaled by 1/2 (perfect scaling, p = 1).
  const Prediction q = predict(problem, Placement{{Stage{0, 0, 1, 2}}});
  CHECK(q.stages[0].compute_s == Approx(0.4 / 2 + 0.5));
}

// The paper's period, written from its formula: x[l] is the device of block l.
static double paper_period(const Problem& problem, const std::vector<int>& x)
{
  const auto& hosts = problem.platform.hosts;
  std::map<int, double> tc;
  std::map<std::pair<int, int>, double> tt;
  for (size_t l = 0; l < x.size(); ++l) {
    tc[x[l]] += problem.chain.blocks[l].flop / (hosts[x[l]].cores * hosts[x[l]].core_speed_flops);
    if (l + 1 < x.size() && x[l] != x[l + 1])
      tt[{x[l], x[l + 1]}] += problem.chain.blocks[l].cut_bytes / problem.platform.route(x[l], x[l + 1]).bandwidth_Bps;
  }
  double period = 0;
  for (const auto& [device, load] : tc)
    period = std::max(period, load);
  for (const auto& [pair, load] : tt)
    period = std::max(period, load);
  return period;
}

TEST_CASE("the paper's formula is reproduced exactly in the paper's setting", "[cost][paper]")
{
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> speed(0.5e9, 4e9), work(1e8, 5e9), bytes(1e4, 5e7), bandwidth(1e6, 1e8);
  std::uniform_int_distribution<int> core_count(1, 8);
  for (int trial = 0; trial < 500; ++trial) {
    const int devices = 2 + trial % 4;
    const int blocks  = 2 + trial % 9;
    std::vector<double> speeds, flop, cuts;
    std::vector<int> cores;
    for (int d = 0; d < devices; ++d) {
      speeds.push_back(speed(rng));
      cores.push_back(core_count(rng));
    }
    for (int b = 0; b < blocks; ++b) {
      flop.push_back(work(rng));
      cuts.push_back(bytes(rng));
    }
    Problem problem =
        paper_problem(pairwise_platform(speeds, cores, bandwidth(rng)), hand_chain(flop, cuts, 1e6), true);
    // A random placement: x[l] random, adjacent equal devices merged into one stage.
    std::uniform_int_distribution<int> pick(0, devices - 1);
    std::vector<int> x(blocks);
    for (auto& device : x)
      device = pick(rng);
    Placement placement;
    for (int l = 0; l < blocks; ++l) {
      if (!placement.stages.empty() && placement.stages.back().device == x[l])
        placement.stages.back().last = l;
      else
        placement.stages.push_back(Stage{x[l], l, l, cores[x[l]]});
    }
    INFO("trial " << trial);
    CHECK(predict(problem, placement).period_s == Approx(paper_period(problem, x)).epsilon(1e-12));
  }
}

TEST_CASE("lv08 transfer costs: latency x 13.01, 0.97 of the bandwidth, acknowledgements, TCP-gamma cap", "[cost]")
{
  Platform platform = two_hosts(
      "a", "b", LinkInfo{.name = "shared", .bandwidth_Bps = 1e6, .latency_s = 1e-3, .sharing = Sharing::Shared});
  platform.links.push_back(LinkInfo{.name = "up", .bandwidth_Bps = 1e8, .latency_s = 0.5, .sharing = Sharing::Shared});
  platform.links.push_back(
      LinkInfo{.name = "down", .bandwidth_Bps = 1e8, .latency_s = 0.5, .sharing = Sharing::Shared});
  // A SHARED link carries the flow and its acknowledgements: 0.97 x 1 MB/s / 1.05.
  const TransferCost shared = transfer_cost(platform, NetworkModel::Lv08, 0, 1);
  CHECK(shared.latency_s == Approx(13.01e-3));
  CHECK(shared.seconds(1e6) == Approx(13.01e-3 + 1.05 / 0.97));
  CHECK(transfer_cost(platform, NetworkModel::Ideal, 0, 1).seconds(1e6) == Approx(1e-3 + 1));
  // Separate directions, long latency: the solver's rate is capped at 4 MiB / (2 x 0.5 s), below 100 MB/s, and the
  // 0.97 factor applies to it too (test_pipeline_schedule.cpp checks this against SimGrid).
  platform.routes[0][1] = Route{.links = {1}};
  platform.routes[1][0] = Route{.links = {2}};
  platform.finalize();
  const TransferCost capped = transfer_cost(platform, NetworkModel::Lv08, 0, 1);
  CHECK(capped.seconds_per_byte == Approx(1.0 / (0.97 * 4194304.0)));
  CHECK(capped.rate_bound_Bps == Approx(4194304.0));
  CHECK(capped.penalty == Approx(0.5 + 20537 / 1e8)); // route latency + weight-S / bandwidth
  REQUIRE(capped.uses.size() == 2);                   // forward on "up", acknowledgements on "down"
  CHECK(capped.uses[1].weight == Approx(0.05));
}

TEST_CASE("a calibrated memory bandwidth and fixed cost per layer add to the FLOP time, by hand", "[cost]")
{
  Block block;
  block.first_layer = 3;
  block.last_layer  = 5; // three layers
  block.flop_by_op  = {{"conv", 2e9}, {"relu", 1e6}};
  block.bytes_by_op = {{"conv", 1e8}, {"relu", 4e8}};
  HostInfo host;
  host.cores            = 2;
  host.core_speed_flops = 1e9;
  host.op_efficiency    = {{"relu", 0.5}};
  const ComputeModel compute; // conv's parallel fraction 0.95, relu's 0.6
  const double conv_speedup = 1 / (0.05 + 0.95 / 2), relu_speedup = 1 / (0.4 + 0.6 / 2);
  // Uncalibrated: FLOP only.
  CHECK(compute.block_seconds(block, host, 2) == Approx(2.0 / conv_speedup + 0.002 / relu_speedup).epsilon(1e-12));
  host.memory_bandwidth_Bps = 1e9;
  host.layer_overhead_s     = 1e-3;
  CHECK(compute.block_seconds(block, host, 2) ==
        Approx((2.0 + 0.1) / conv_speedup + (0.002 + 0.4) / relu_speedup + 3e-3).epsilon(1e-12));
}

TEST_CASE("blocks count the bytes their layers read and write: inputs, output, weights", "[cost]")
{
  Model model;
  model.name        = "bytes";
  model.input_shape = {10};
  model.input_bytes = 40;
  model.layers      = {Layer{"a", "fc", {"input"}, 0, 100, 0, 80, {20}, 80, {}, {}},
                       Layer{"b", "relu", {"a"}, 0, 20, 0, 0, {20}, 80, {}, {}},
                       Layer{"c", "add", {"a", "b"}, 0, 20, 0, 0, {20}, 80, {}, {}}};
  const Chain chain = build_chain(model, ChainMode::Layers);
  CHECK(chain.blocks[0].bytes_by_op.at("fc") == 40 + 80 + 80);
  CHECK(chain.blocks[1].bytes_by_op.at("relu") == 80 + 80);
  CHECK(chain.blocks[2].bytes_by_op.at("add") == 80 + 80 + 80);
  CHECK(build_chain(model, ChainMode::Blocks).blocks.back().bytes_by_op.at("add") == 240);
}
