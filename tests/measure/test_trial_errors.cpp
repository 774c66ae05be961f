// Aggregate errors over trials (`pipesplit validate` with several trials), against sums done by hand.

#include "measure/trial_errors.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit::measure;

TEST_CASE("errors per kind and over all figures: mean of absolute relative errors, and the worst", "[validate]")
{
  // relative error = (predicted - measured) / measured
  const TrialComparison a{"A.yaml",
                          {{"stage 0 (a) compute", "s", "stage", 1.1, 1.0},       // +10%
                           {"stage 1 (b) compute", "s", "stage", 0.95, 1.0},      // -5%
                           {"transfer a->b", "s", "transfer", 0.5, 0.4},          // +25%
                           {"throughput", "inferences/s", "throughput", 8, 10}}}; // -20%
  const TrialComparison b{"B.yaml",
                          {{"stage 0 (a) compute", "s", "stage", 0.7, 1.0},        // -30%
                           {"stage 1 (b) compute", "s", "stage", 1.0, 1.0},        // 0
                           {"throughput", "inferences/s", "throughput", 11, 10}}}; // +10%
  const auto summaries = summarize_errors({a, b});
  REQUIRE(summaries.size() == 4); // stage, transfer, throughput, all (no latency measured)
  CHECK(summaries[0].kind == "stage");
  CHECK(summaries[0].figures == 4);
  CHECK(summaries[0].mean_absolute == Approx((0.10 + 0.05 + 0.30 + 0.0) / 4)); // 11.25%
  CHECK(summaries[0].worst == Approx(0.30));
  CHECK(summaries[0].worst_figure == "stage 0 (a) compute");
  CHECK(summaries[0].worst_trial == "B.yaml");
  CHECK(summaries[1].kind == "transfer");
  CHECK(summaries[1].figures == 1);
  CHECK(summaries[1].mean_absolute == Approx(0.25));
  CHECK(summaries[2].kind == "throughput");
  CHECK(summaries[2].mean_absolute == Approx((0.20 + 0.10) / 2));
  CHECK(summaries[2].worst == Approx(0.20));
  CHECK(summaries[2].worst_trial == "A.yaml");
  CHECK(summaries[3].kind == "all");
  CHECK(summaries[3].figures == 7);
  CHECK(summaries[3].mean_absolute == Approx((0.10 + 0.05 + 0.25 + 0.20 + 0.30 + 0.0 + 0.10) / 7)); // 14.29%
  CHECK(summaries[3].worst == Approx(0.30));
}

TEST_CASE("one trial: the aggregate is that trial's; no trial: zeros", "[validate]")
{
  const TrialComparison a{"A.yaml", {{"latency", "s", "latency", 0.3, 0.4}}}; // -25%
  const auto one = summarize_errors({a});
  REQUIRE(one.size() == 2);
  CHECK(one[0].kind == "latency");
  CHECK(one[1].mean_absolute == Approx(0.25));
  const auto none = summarize_errors({});
  REQUIRE(none.size() == 1);
  CHECK(none[0].figures == 0);
  CHECK(none[0].worst == 0);
}
