#include "core/units.hpp"

#include <fmt/format.h>

#include <cmath>
#include <initializer_list>
#include <utility>

namespace pipesplit::core {

// A number followed by one of `units` (suffix, factor); the empty suffix must be listed to allow a bare number.
static std::optional<double> parse_with_units(const std::string& text,
                                              std::initializer_list<std::pair<const char*, double>> units)
{
  size_t used  = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ')
    unit.erase(0, 1);
  for (const auto& [suffix, factor] : units)
    if (unit == suffix && std::isfinite(value * factor)) // "1e308TB" is no amount either
      return value * factor;
  return std::nullopt;
}

std::optional<double> parse_bytes(const std::string& text)
{
  return parse_with_units(text, {{"KiB", 1024.0},
                                 {"MiB", 1024.0 * 1024},
                                 {"GiB", 1024.0 * 1024 * 1024},
                                 {"TiB", 1024.0 * 1024 * 1024 * 1024},
                                 {"kB", 1e3},
                                 {"KB", 1e3},
                                 {"MB", 1e6},
                                 {"GB", 1e9},
                                 {"TB", 1e12},
                                 {"B", 1.0},
                                 {"", 1.0}});
}

std::optional<double> parse_number(const std::string& text)
{
  return parse_with_units(text, {{"", 1.0}});
}

std::optional<double> parse_bandwidth(const std::string& text)
{
  return parse_with_units(text, {{"", 1},
                                 {"Bps", 1},
                                 {"kBps", 1e3},
                                 {"KBps", 1e3},
                                 {"MBps", 1e6},
                                 {"GBps", 1e9},
                                 {"TBps", 1e12},
                                 {"bps", 0.125},
                                 {"kbps", 125},
                                 {"Kbps", 125},
                                 {"Mbps", 125e3},
                                 {"Gbps", 125e6},
                                 {"Tbps", 125e9}});
}

std::optional<double> parse_duration(const std::string& text)
{
  return parse_with_units(text, {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"m", 60}, {"h", 3600}});
}

std::optional<double> parse_speed(const std::string& text)
{
  return parse_with_units(text, {{"", 1}, {"f", 1}, {"kf", 1e3}, {"Mf", 1e6}, {"Gf", 1e9}, {"Tf", 1e12}});
}

static std::string scaled(double value, const char* unit, const char* const* prefixes, int count)
{
  int i = 0;
  while (i + 1 < count && std::abs(value) >= 1000) {
    value /= 1000;
    ++i;
  }
  return fmt::format("{:.3g} {}{}", value, prefixes[i], unit);
}

std::string format_bytes(double bytes)
{
  static const char* const prefixes[] = {"", "k", "M", "G", "T"};
  return scaled(bytes, "B", prefixes, 5);
}

std::string format_flop(double flop)
{
  static const char* const prefixes[] = {"", "k", "M", "G", "T", "P"};
  return scaled(flop, "FLOP", prefixes, 6);
}

std::string format_rate_bits(double bytes_per_second)
{
  static const char* const prefixes[] = {"", "k", "M", "G", "T"};
  return scaled(8 * bytes_per_second, "bit/s", prefixes, 5);
}

std::string format_seconds(double seconds)
{
  if (seconds == 0)
    return "0 s";
  if (std::abs(seconds) < 1e-3)
    return fmt::format("{:.3g} us", seconds * 1e6);
  if (std::abs(seconds) < 1)
    return fmt::format("{:.3g} ms", seconds * 1e3);
  return fmt::format("{:.4g} s", seconds);
}

} // namespace pipesplit::core
