// Inputs are data, never code: texts from input files and the command line reach gnuplot scripts only as strings it
// cannot evaluate. Each case plants a command (back-quotes, a newline followed by gnuplot's `!` shell escape or
// `system()`, a single quote in a folder name) and checks that the picture was drawn and that nothing ran.

#include "analysis/comparison_plot.hpp"
#include "analysis/gnuplot.hpp"
#include "analysis/scatter_plot.hpp"
#include "analysis/sweep_plot.hpp"
#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "analysis/timeline_plot.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

namespace {

// A marker per test case, for the same reason.
fs::path marker_of(const std::string& which)
{
  return fs::temp_directory_path() / ("pipesplit_gnuplot_PWNED_" + which);
}

// Texts that run `touch <marker>` if a script evaluates them.
std::vector<std::string> planted(const fs::path& marker)
{
  const std::string touch = "touch " + marker.string();
  return {"a`" + touch + "`b", "name\n!" + touch, "title'\nsystem('" + touch + "')\nx='", "q\"`" + touch + "`\""};
}

// A folder whose name has a single quote, a space and back-quotes: it ends up in `set output` paths. One per test
// case (`which`), as ctest runs them side by side.
fs::path awkward_folder(const std::string& which)
{
  const auto dir = fs::temp_directory_path() / ("pipesplit it's `touch x` " + which);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

} // namespace

TEST_CASE("gnuplot strings: single-quoted, quotes doubled, control characters replaced", "[gnuplot][security]")
{
  CHECK(gnuplot_string("plain") == "'plain'");
  CHECK(gnuplot_string("it's") == "'it''s'");
  CHECK(gnuplot_string("a`b`c") == "'a`b`c'"); // single quotes: gnuplot substitutes no back-quote there
  CHECK(gnuplot_string("line\n!cmd") == "'line !cmd'");
  CHECK(gnuplot_data_string("say \"hi\"\tnow") == "\"say 'hi' now\"");
}

TEST_CASE("a timeline whose title and lanes carry commands draws them as text", "[gnuplot][security]")
{
  const auto marker = marker_of("timeline");
  fs::remove(marker);
  sim::ReplayResult replay;
  for (const auto& text : planted(marker)) {
    replay.lanes.push_back(text);
    replay.timeline.push_back(sim::TimelineEvent{text, "compute", 0, 0.0, 1.0});
  }
  const auto stem = awkward_folder("timeline") / "timeline";
  for (const auto& title : planted(marker))
    plot_timeline(replay, stem.string(), title);
  CHECK(fs::file_size(stem.string() + ".png") > 0);
  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("a sweep whose name carries commands plots it as text", "[gnuplot][security]")
{
  const auto marker = marker_of("sweep");
  fs::remove(marker);
  const auto dir  = awkward_folder("sweep");
  const auto file = dir / "sweep.source.yaml";
  std::ofstream(file) << "format: pipesplit-sweep/1\n"
                      << "name: \"a`touch " << marker.string() << "`b\\n!touch " << marker.string() << "\"\n"
                      << "scenario: " << PIPESPLIT_SOURCE_DIR << "/tests/data/tiny_paper.yaml\n"
                      << "axes:\n"
                      << "  - {name: bandwidth, path: 'platform.links.cable*.bandwidth', values: [1MBps, 2MBps]}\n"
                      << "  - {name: b_speed_ratio, path: platform.hosts.b.speed_ratio, values: [0.5, 1]}\n";
  const SweepSpec spec = read_sweep_file(file.string());
  SweepRunOptions options;
  options.out_dir = (dir / "out").string();
  run_sweep(spec, options);
  PlotRequest heat{.dir = options.out_dir, .x = "bandwidth", .y = "b_speed_ratio", .output = (dir / "heat").string()};
  PlotRequest lines{
      .dir = options.out_dir, .x = "bandwidth", .series = "b_speed_ratio", .output = (dir / "lines").string()};
  CHECK(plot_sweep(heat).size() >= 1);
  CHECK(plot_sweep(lines).size() >= 1);
  CHECK(fs::file_size(dir / "heat.png") > 0);
  CHECK(fs::file_size(dir / "lines.png") > 0);
  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("results and trial figures whose names carry commands are drawn as text", "[gnuplot][security]")
{
  const auto marker = marker_of("compare");
  fs::remove(marker);
  const auto dir = awkward_folder("compare");
  std::vector<ResultSummary> results;
  std::vector<ScatterPoint> points;
  for (const auto& text : planted(marker)) {
    ResultSummary r;
    r.label          = text;
    r.throughput_ips = 1;
    r.latency_s      = 2;
    results.push_back(r);
    points.push_back({text, 1.0, 1.1, "s", text});
  }
  const auto bars    = plot_comparison(results, (dir / "bars.png").string());
  const auto scatter = plot_predicted_vs_measured(points, (dir / "scatter.png").string(), planted(marker)[2]);
  CHECK(fs::file_size(bars.front()) > 0);
  CHECK(fs::file_size(scatter.front()) > 0);
  CHECK_FALSE(fs::exists(marker));
}
