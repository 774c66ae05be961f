#pragma once
// Quantities written with units in platform properties and command-line flags.

#include <optional>
#include <string>

namespace pipesplit::core {

// A finite number and nothing else ("1e9", " 2.5"); nullopt otherwise.
std::optional<double> parse_number(const std::string& text);

// SimGrid's grammar, exactly as it reads platform XML (tests/sim/test_unit_grammar.cpp compares the two), to SI.
// Sizes to bytes: "4GiB", "512MB", "1e9" (bytes), "8Mb" (megabits), decimal prefixes k M G T P E Z Y, binary Ki..Yi.
std::optional<double> parse_bytes(const std::string& text);

// Bandwidth to bytes/s ("100Mbps" megabits, "12MBps" megabytes, "1Gibps", a bare number is bytes/s), time to seconds
// ("1ms", "50us", "2h", a bare number is seconds), speed to FLOP/s ("5Gf", "2gigaflops", a bare number).
std::optional<double> parse_bandwidth(const std::string& text);
std::optional<double> parse_duration(const std::string& text);
std::optional<double> parse_speed(const std::string& text);

// Human-readable figures for tables: "1.23 GB" (decimal), "12.3 ms", "95 Mbit/s".
std::string format_bytes(double bytes);
std::string format_seconds(double seconds);
std::string format_rate_bits(double bytes_per_second);
std::string format_flop(double flop); // "1.82 GFLOP"

} // namespace pipesplit::core
