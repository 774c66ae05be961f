// The trial's parts without root: the stage executor's composition, the wire protocol's checks, the testbed plan
// and the summary's figures, each against numbers derived by hand.

#include "cost/hops.hpp"
#include "tests/support/fixtures.hpp"
#include "trial/protocol.hpp"
#include "trial/tensor_wire.hpp"
#include "trial/testbed.hpp"
#include "trial/trial_summary.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <array>
#include <thread>

using namespace pipesplit;
using namespace pipesplit::trial;

TEST_CASE("tensors cross the wire intact, and only their elements count as the cut's bytes")
{
  exec::Tensor a("x", {2, 3, 4});
  exec::RandomStream(1, "x").fill(a.data, -1, 1);
  exec::Tensor b("y", {5});
  b.data             = {1, 2, 3, 4, 5};
  const auto payload = encode_tensors({a, b});
  const auto back    = decode_tensors(payload, "peer");
  REQUIRE(back.size() == 2);
  CHECK(back[0].name == "x");
  CHECK(back[0].shape == a.shape);
  CHECK(back[0].data == a.data);
  CHECK(back[1].data == b.data);
  CHECK(element_bytes(back) == (24 + 5) * 4);
  auto truncated = payload;
  truncated.pop_back();
  CHECK_THROWS_WITH(decode_tensors(truncated, "stage 0"), "stage 0 sent a truncated tensor payload");
}

namespace {

// A connected pair of sockets on loopback.
struct Pair {
  boost::asio::io_context context;
  tcp::acceptor acceptor{context, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  tcp::socket client{context}, server{context};
  Pair()
  {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
};

} // namespace

TEST_CASE("frames cross intact: another version, another model and a vanished peer are refused by name")
{
  Pair pair;
  const std::array<std::byte, 3> bytes{std::byte{1}, std::byte{2}, std::byte{3}};
  write_frame(pair.client, FrameType::Tensor, 42, bytes.data(), bytes.size(), "peer");
  const Frame frame = read_frame(pair.server, "peer");
  CHECK(frame.type == FrameType::Tensor);
  CHECK(frame.index == 42);
  CHECK(frame.payload == std::vector<std::byte>(bytes.begin(), bytes.end()));

  // A header of version 1 (before the assignment carried the queue policy): magic "PSPT", version 1, type Tensor,
  // index 0, no payload.
  std::array<unsigned char, 24> header{0x50, 0x53, 0x50, 0x54, 1, 0, 4, 0};
  boost::asio::write(pair.client, boost::asio::buffer(header));
  CHECK_THROWS_WITH(read_frame(pair.server, "stage 1"),
                    "stage 1 speaks trial protocol version 1, this pipesplit speaks 3");

  const Chain chain = test::hand_chain({1e6}, {10}, 10);
  CHECK_NOTHROW(check_agreement({{"protocol", 3}, {"chain_hash", fmt::format("{:016x}", chain_hash(chain))}},
                                chain_hash(chain), "worker 0"));
  CHECK_THROWS_WITH(
      check_agreement({{"protocol", 3}, {"chain_hash", "0000000000000001"}}, chain_hash(chain), "worker 0"),
      Catch::Contains("worker 0 has another model"));

  pair.client.close();
  CHECK_THROWS_WITH(read_frame(pair.server, "stage 0"), "stage 0 went away (connection closed)");
}

TEST_CASE("the testbed plan: CPU shares from speeds, one link per connected pair at the route's bandwidth")
{
  Problem problem = test::paper_problem(test::pairwise_platform({1e9, 2e9, 3e9}, {1, 1, 1}, 1e6, 0.002),
                                        test::hand_chain({1e9, 1e9}, {1000, 10}, 100), false);
  problem.source  = 0;
  problem.sink    = 0;
  Placement placement{{{1, 0, 0, 1}, {2, 1, 1, 1}}};
  const auto plan = plan_testbed(problem.platform, pipeline_hops(problem, placement), 4e9, {0, 1});
  REQUIRE(plan.devices.size() == 3); // the source's h0, then h1 and h2
  CHECK(plan.devices[0].cpu_share == Approx(0.25));
  CHECK(plan.devices[1].cpu_share == Approx(0.5));
  CHECK(plan.devices[2].cpu_share == Approx(0.75));
  CHECK(plan.devices[0].cpu == 0); // the least loaded core each time: 0, 1, then 0 again (0.25 < 0.5)
  CHECK(plan.devices[1].cpu == 1);
  CHECK(plan.devices[2].cpu == 0);
  REQUIRE(plan.links.size() == 3); // h0-h1 (input), h1-h2 (cut), h0-h2 (result)
  for (const auto& link : plan.links) {
    CHECK(link.rate_ab_Bps == 1e6);
    CHECK(link.latency_ab_s == 0.002);
    CHECK(link.medium == -1); // a link per ordered pair: nothing shared
  }
  CHECK(plan.media.empty());
  CHECK_THROWS_WITH(plan_testbed(problem.platform, pipeline_hops(problem, placement), 2e9, {0}),
                    Catch::Contains("faster than this machine's"));
  CHECK(plan_testbed(problem.platform, pipeline_hops(problem, placement), 20e9, {0}).devices[0].cpu_share ==
        Approx(0.05)); // under 0.1 core: a longer CFS period
  CHECK_THROWS_WITH(plan_testbed(problem.platform, pipeline_hops(problem, placement), 200e9, {0}),
                    Catch::Contains("cannot emulate less than 0.01 core"));
}

TEST_CASE("the testbed plan: pairs whose routes share a SHARED bottleneck meet on one medium at its rate")
{
  Platform cell; // h0..h2, every route over one SHARED 1 MB/s link "air"
  for (int h = 0; h < 3; ++h)
    cell.hosts.push_back(test::host(fmt::format("h{}", h), 1, 1e9));
  cell.links.push_back(LinkInfo{"air", 1e6, 0, Sharing::Shared});
  cell.routes.assign(3, std::vector<std::optional<Route>>(3));
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      if (a != b)
        cell.routes[a][b] = Route{.links = {0}};
  cell.finalize();
  Problem problem = test::paper_problem(cell, test::hand_chain({1e9, 1e9}, {1000, 10}, 100), false);
  problem.source  = 0;
  problem.sink    = 0;
  const Placement placement{{{1, 0, 0, 1}, {2, 1, 1, 1}}};
  const auto plan = plan_testbed(problem.platform, pipeline_hops(problem, placement), 4e9, {0, 1});
  REQUIRE(plan.media.size() == 1);
  CHECK(plan.media[0].link == 0);
  CHECK(plan.media[0].rate_Bps == 1e6);
  CHECK(plan.media[0].hosts == std::vector<int>{0, 1, 2});
  for (const auto& link : plan.links)
    CHECK(link.medium == 0);
  // The halves of SPLITDUPLEX cables (a star: each route crosses its source's UP and its destination's DOWN) are
  // never one medium: each direction is its own capacity.
  problem.platform = test::star_platform({1e9, 1e9, 1e9}, 1, 1e6, 0);
  CHECK(plan_testbed(problem.platform, pipeline_hops(problem, placement), 4e9, {0, 1}).media.empty());
}

TEST_CASE("the summary: period over the window after warm-up, latencies, a link's service time")
{
  TrialMeasurement m;
  // Inputs sent every 0.1 s from t = 0; one stage receives input i at 0.1 i + 0.05 and sends at 0.1 i + 0.08; the
  // sink has it 0.07 s later, so each hop serves an input in 0.05 s and 0.07 s.
  for (int i = 0; i < 10; ++i) {
    m.sent_s.push_back(0.1 * i);
    m.delivered_s.push_back(0.1 * i + 0.15);
    m.delivered_inputs.push_back(i);
  }
  m.stages.emplace_back();
  for (int i = 0; i < 10; ++i)
    m.stages[0].push_back({i, 0.1 * i, 0.1 * i + 0.05, 0.1 * i + 0.05, 0.1 * i + 0.08, 0.1 * i + 0.08, 0.1 * i + 0.09});
  m.hop_bytes  = {100, 10};
  const auto s = summarise(m, 2);
  CHECK(s.period_s == Approx(0.1));
  CHECK(s.first_latency_s == Approx(0.15));
  CHECK(s.latency_p50_s == Approx(0.15));
  CHECK(s.compute_s[0] == Approx(0.03));
  // The last input is sent at 0.9 s: results 8 (at 0.95 s) and 9 come as the pipeline drains, not measured.
  CHECK(s.cooldown == 2);
  CHECK(s.utilisation[0] == Approx(0.03 * 6 / 0.5)); // inputs 2..7: 6 computes of 0.03 s in 0.35 s .. 0.85 s
  CHECK(s.transfer_s[0] == Approx(0.05));
  CHECK(s.transfer_s[1] == Approx(0.07));
}
