// One unit grammar: pipesplit reads a bandwidth, a duration, a speed or a size written with units (in scenarios, sweep
// axes, --set, platform properties) exactly as SimGrid reads it in platform XML. Every string of a generated table is
// given to both: the same value, or refused by both.

#include "core/units.hpp"

#include <catch2/catch.hpp>
#include <xbt/parse_units.hpp>

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using namespace pipesplit::core;

namespace {

using Ours   = std::function<std::optional<double>(const std::string&)>;
using Theirs = double (*)(const std::string&, int, const std::string&, const std::string&);

std::optional<double> simgrid_reads(Theirs parse, const std::string& text)
{
  try {
    return parse("table", 1, text, "test");
  } catch (const std::exception&) { // simgrid::ParseError
    return std::nullopt;
  }
}

// Numbers in several notations, each with every unit (and none, and a few SimGrid does not know).
std::vector<std::string> table(const std::vector<std::string>& units)
{
  std::vector<std::string> strings;
  for (const char* number : {"1", "2.5", "1e3", "0.125", "10"})
    for (const std::string& unit : units)
      strings.push_back(number + unit);
  for (const char* odd : {"", "abc", "1 2", "1x", "-5", "1e400"})
    strings.emplace_back(odd);
  return strings;
}

void agree(const char* quantity, Ours ours, Theirs theirs, const std::vector<std::string>& strings)
{
  int both = 0;
  for (const auto& text : strings) {
    INFO(quantity << " '" << text << "'");
    const auto mine  = ours(text);
    const auto their = simgrid_reads(theirs, text);
    if (their && std::isfinite(*their)) { // the range (> 0 ...) is checked where the value is used
      CHECK(mine.has_value());
      if (!mine)
        continue;
      CHECK(*mine == Approx(*their).epsilon(1e-12));
      ++both;
    } else {
      CHECK_FALSE(mine.has_value());
    }
  }
  CHECK(both > static_cast<int>(strings.size()) / 2);
}

const std::vector<std::string> prefixes = {"",   "k",  "K",  "M",  "G",  "T",  "P",  "E",  "Z", "Y",
                                           "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi", "m"};

std::vector<std::string> with_prefixes(const std::vector<std::string>& bases, const std::vector<std::string>& extra)
{
  std::vector<std::string> units = extra;
  for (const auto& base : bases)
    for (const auto& prefix : prefixes)
      units.push_back(prefix + base);
  return units;
}

} // namespace

TEST_CASE("units: bandwidths as SimGrid reads them", "[units][simgrid]")
{
  agree("bandwidth", parse_bandwidth, xbt_parse_get_bandwidth,
        table(with_prefixes({"bps", "Bps"}, {"", "x", "bit/s", "B/s"})));
}

TEST_CASE("units: durations as SimGrid reads them", "[units][simgrid]")
{
  agree("duration", parse_duration, xbt_parse_get_time,
        table({"", "s", "ms", "us", "ns", "ps", "m", "h", "d", "w", "sec", "min", "x"}));
}

TEST_CASE("units: speeds as SimGrid reads them", "[units][simgrid]")
{
  agree("speed", parse_speed, xbt_parse_get_speed,
        table(with_prefixes({"f"}, {"", "x", "flops", "kiloflops", "gigaflops", "yottaflops", "kflops", "Gflops"})));
}

TEST_CASE("units: sizes as SimGrid reads them", "[units][simgrid]")
{
  agree("size", parse_bytes, xbt_parse_get_size, table(with_prefixes({"B", "b"}, {"", "x", "bytes"})));
}
