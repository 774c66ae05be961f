#include "core/units.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string_view>
#include <utility>

namespace pipesplit::core {

namespace {

// SimGrid's unit grammar (xbt/parse_units.hpp, as it reads platform XML), so that a string means the same in every
// pipesplit file and flag as in a platform: a number as strtod reads it, then exactly one unit of a table, nothing
// between them; a bare number takes the default unit. The tables are SimGrid's: decimal prefixes k M G T P E Z Y
// (x1000) and binary ones Ki Mi Gi Ti Pi Ei Zi Yi (x1024) where it allows them, whole words (kilo..yotta) for flops.
using UnitTable = std::map<std::string, double, std::less<>>;

void add_prefixed(UnitTable& table, const std::string& unit, double factor, std::initializer_list<const char*> prefixes,
                  double step)
{
  table.emplace(unit, factor);
  for (const char* prefix : prefixes) {
    factor *= step;
    table.emplace(prefix + unit, factor);
  }
}

constexpr std::initializer_list<const char*> decimal = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
constexpr std::initializer_list<const char*> binary  = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
constexpr std::initializer_list<const char*> words   = {"kilo", "mega", "giga", "tera", "peta", "exa", "zeta", "yotta"};

UnitTable bits_and_bytes(const std::string& bit_unit, const std::string& byte_unit)
{
  UnitTable table;
  for (const auto& [unit, factor] : {std::pair{bit_unit, 0.125}, std::pair{byte_unit, 1.0}}) {
    add_prefixed(table, unit, factor, decimal, 1000);
    add_prefixed(table, unit, factor, binary, 1024);
  }
  return table;
}

std::optional<double> parse_with_units(const std::string& text, const UnitTable& units, const char* default_unit)
{
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.back())))
    return std::nullopt;
  const char* begin  = text.c_str();
  char* end          = nullptr;
  errno              = 0;
  const double value = std::strtod(begin, &end);
  if (end == begin || errno == ERANGE)
    return std::nullopt;
  const std::string_view unit = *end == '\0' ? std::string_view(default_unit) : std::string_view(end);
  const auto found            = units.find(unit);
  if (found == units.end() || !std::isfinite(value * found->second)) // "1e308TB" is no amount either
    return std::nullopt;
  return value * found->second;
}

} // namespace

std::optional<double> parse_bytes(const std::string& text)
{
  static const UnitTable units = bits_and_bytes("b", "B");
  return parse_with_units(text, units, "B");
}

std::optional<double> parse_number(const std::string& text)
{
  static const UnitTable units = {{"", 1.0}};
  return parse_with_units(text, units, "");
}

std::optional<double> parse_bandwidth(const std::string& text)
{
  static const UnitTable units = bits_and_bytes("bps", "Bps");
  return parse_with_units(text, units, "Bps");
}

std::optional<double> parse_duration(const std::string& text)
{
  static const UnitTable units = {{"w", 7 * 24 * 3600.0}, {"d", 24 * 3600.0}, {"h", 3600.0}, {"m", 60.0},  {"s", 1.0},
                                  {"ms", 1e-3},           {"us", 1e-6},       {"ns", 1e-9},  {"ps", 1e-12}};
  return parse_with_units(text, units, "s");
}

std::optional<double> parse_speed(const std::string& text)
{
  static const UnitTable units = [] {
    UnitTable table;
    add_prefixed(table, "f", 1, decimal, 1000);
    add_prefixed(table, "flops", 1, words, 1000);
    return table;
  }();
  return parse_with_units(text, units, "f");
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
