// Quantities with units (core/units.hpp): SimGrid's notations to SI, and the figures tables print.

#include "core/units.hpp"

#include <catch2/catch.hpp>

using namespace pipesplit;
using namespace pipesplit::core;

TEST_CASE("numbers: finite and nothing else", "[units]")
{
  CHECK(*parse_number("1e9") == 1e9);
  CHECK(*parse_number(" 2.5") == 2.5);
  CHECK_FALSE(parse_number("0.5abc"));
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("inf"));
  CHECK_FALSE(parse_number("nan"));
  CHECK_FALSE(parse_number("1e999"));
  // A finite number times its unit's factor that overflows is no amount either.
  CHECK(*parse_bytes("1e290TB") == Approx(1e302));
  CHECK_FALSE(parse_bytes("1e308TB"));
  CHECK_FALSE(parse_bandwidth("1e308Gbps"));
}

TEST_CASE("bandwidths: bits and bytes, decimal prefixes, to bytes/s", "[units]")
{
  CHECK(*parse_bandwidth("100Mbps") == Approx(12.5e6));
  CHECK(*parse_bandwidth("12MBps") == Approx(12e6));
  CHECK(*parse_bandwidth("940Mbps") == Approx(117.5e6));
  CHECK(*parse_bandwidth("1Gbps") == Approx(125e6));
  CHECK(*parse_bandwidth("1e6") == 1e6); // a bare number is bytes/s
  CHECK_FALSE(parse_bandwidth("100 furlongs"));
}

TEST_CASE("durations and speeds", "[units]")
{
  CHECK(*parse_duration("1ms") == Approx(1e-3));
  CHECK(*parse_duration("50us") == Approx(50e-6));
  CHECK(*parse_duration("2") == 2);
  CHECK(*parse_speed("5Gf") == Approx(5e9));
  CHECK(*parse_speed("1e9") == 1e9);
  CHECK_FALSE(parse_speed("fast"));
}

TEST_CASE("bytes: decimal and binary prefixes", "[units]")
{
  CHECK(*parse_bytes("4GiB") == 4.0 * 1024 * 1024 * 1024);
  CHECK(*parse_bytes("512MB") == 512e6);
  CHECK(*parse_bytes("1e9") == 1e9);
  CHECK(*parse_bytes("8Mb") == 1e6); // bits, as SimGrid reads them
  CHECK_FALSE(parse_bytes("2 GB"));  // SimGrid allows nothing between number and unit
  CHECK_FALSE(parse_bytes("2KB"));   // nor a capital K: kB (1000) or KiB (1024)
}

TEST_CASE("formatted figures", "[units]")
{
  CHECK(format_bytes(1.23e9) == "1.23 GB");
  CHECK(format_seconds(0.0123) == "12.3 ms");
  CHECK(format_rate_bits(11.875e6) == "95 Mbit/s");
  CHECK(format_rate_bits(117.5e6) == "940 Mbit/s");
  CHECK(format_flop(1.82e9) == "1.82 GFLOP");
}
