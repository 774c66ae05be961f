// MSER-5 (core/steady_state.hpp) on series whose transient is known by construction.

#include "core/steady_state.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace pipesplit::core;

TEST_CASE("MSER-5: a ramp then a plateau is cut at the ramp's end; a steady series is not cut", "[steady]")
{
  std::vector<double> ramp;
  for (int i = 0; i < 40; ++i) // latencies growing while queues fill
    ramp.push_back(1.0 + 0.05 * i);
  for (int i = 0; i < 460; ++i)
    ramp.push_back(3.0);
  CHECK(mser5_truncation(ramp) == 40);
  CHECK(mser5_truncation(std::vector<double>(500, 2.5)) == 0);
  CHECK(mser5_truncation({1, 2, 3}) == 0); // too short to tell
  std::vector<double> rounding(500, 0.4244951617557451); // a deterministic replay's steady latencies
  for (size_t i = 0; i < rounding.size(); i += 7)
    rounding[i] += 5e-17;
  CHECK(mser5_truncation(rounding) == 0);

  // Noise around a constant mean is no transient.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(2.0, 0.1);
  std::vector<double> noisy;
  for (int i = 0; i < 1000; ++i)
    noisy.push_back(noise(rng));
  CHECK(mser5_truncation(noisy) <= 50);
  // The same noise after a strong start-up transient: cut near where it ends (never more than half the series).
  std::vector<double> transient = noisy;
  for (int i = 0; i < 100; ++i)
    transient[i] += 5.0 * (100 - i) / 100.0;
  const size_t cut = mser5_truncation(transient);
  CHECK(cut >= 80);
  CHECK(cut <= 150);
}
