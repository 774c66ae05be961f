#pragma once
// Quantities written with units in platform properties and command-line flags.

#include <optional>
#include <string>

namespace pipesplit {

// "4GiB", "512MB", "1e9" (bytes), "2 GB": decimal (kB, MB, GB, TB) and binary (KiB, MiB, GiB, TiB) prefixes.
std::optional<double> parse_bytes(const std::string& text);

// Human-readable figures for tables: "1.23 GB" (decimal), "12.3 ms", "95.0 Mbit/s".
std::string format_bytes(double bytes);
std::string format_seconds(double seconds);
std::string format_rate_bits(double bytes_per_second);
std::string format_flop(double flop); // "1.82 GFLOP"

} // namespace pipesplit
