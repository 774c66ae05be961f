#pragma once
// Quantities written with units in platform properties and command-line flags.

#include <optional>
#include <string>

namespace pipesplit::core {

// A finite number and nothing else ("1e9", " 2.5"); nullopt otherwise.
std::optional<double> parse_number(const std::string& text);

// "4GiB", "512MB", "1e9" (bytes), "2 GB": decimal (kB, MB, GB, TB) and binary (KiB, MiB, GiB, TiB) prefixes.
std::optional<double> parse_bytes(const std::string& text);

// SimGrid's notations, to SI: bandwidth to bytes/s ("100Mbps" megabits, "12MBps" megabytes, a bare number is
// bytes/s), time to seconds ("1ms", "50us", a bare number is seconds), speed to FLOP/s ("5Gf", a bare number).
std::optional<double> parse_bandwidth(const std::string& text);
std::optional<double> parse_duration(const std::string& text);
std::optional<double> parse_speed(const std::string& text);

// Human-readable figures for tables: "1.23 GB" (decimal), "12.3 ms", "95 Mbit/s".
std::string format_bytes(double bytes);
std::string format_seconds(double seconds);
std::string format_rate_bits(double bytes_per_second);
std::string format_flop(double flop); // "1.82 GFLOP"

} // namespace pipesplit::core
