// `pipesplit compare`'s tables: what is read from result.json files (or run folders), how rows and labels are built,
// Markdown and CSV, the per-stage table and its refusal of results of different models, and the bar figure.

#include "analysis/comparison_plot.hpp"
#include "analysis/result_comparison.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

namespace {

// A run folder `dir/name` with a result.json holding the fields compare reads.
fs::path run_folder(const fs::path& dir, const std::string& name, const std::string& model, double period,
                    bool simulated)
{
  fs::create_directories(dir / name);
  std::ofstream(dir / name / "result.json")
      << std::setprecision(17) << "{\"scenario\": \"s_" << name << "\", \"model\": \"" << model
      << "\", \"placement\": \"a:0-1,b:2\", "
      << "\"period_s\": " << period << ", \"throughput_ips\": " << 1 / period << ", \"latency_s\": 3.0, "
      << "\"speedup_vs_best_single\": " << 2 / period << ", \"best_single\": {\"period_s\": 2.0}, "
      << "\"bottleneck\": {\"kind\": \"link\", \"name\": \"cable|up\", \"load_s\": " << period << "}, "
      << "\"stages\": [{\"device\": \"a\", \"first_layer_name\": \"l0\", \"last_layer_name\": \"l1\", \"threads\": 2, "
      << "\"compute_s\": 0.75}, {\"device\": \"b\", \"first_layer_name\": \"l2\", \"last_layer_name\": \"l2\", "
      << "\"threads\": 2, \"compute_s\": 0.5}]"
      << (simulated ? ", \"simulation\": {\"period_s\": 1.6, \"throughput_ips\": 0.625, \"first_latency_s\": 3.2}" : "")
      << "}\n";
  return dir / name;
}

fs::path fresh(const std::string& which)
{
  const auto dir = fs::temp_directory_path() / ("pipesplit_compare_" + which);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

} // namespace

TEST_CASE("compare: one row per result, predicted and simulated, speed-ups from the best single device", "[compare]")
{
  const auto dir     = fresh("rows");
  const auto results = read_results({run_folder(dir, "wifi", "m", 1.5, true).string(),
                                     (run_folder(dir, "ethernet", "m", 1.0, false) / "result.json").string()});
  const auto table   = comparison_table(results, false);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.header.front() == "result");
  // result, kind, scenario, model, devices, period (predicted, simulated, measured), throughput (the same three),
  // latency (the same three), speed-up (2 / 1.5), sim speed-up (2 / 1.6), bottleneck, placement
  CHECK(table.rows[0] == std::vector<std::string>{"wifi", "run", "s_wifi", "m", "2", "1.5", "1.6", "", "0.6667",
                                                  "0.625", "", "3", "3.2", "", "1.333", "1.25", "link cable|up",
                                                  "a:0-1,b:2"});
  CHECK(table.rows[1][0] == "ethernet"); // a result.json is named by its folder
  CHECK(table.rows[1][6].empty());       // no simulation: empty, not zero
  CHECK(table.rows[1][15].empty());
  const auto precise = comparison_table(results, true);
  CHECK(precise.rows[0][8] == "0.6666666667");
  const auto md = to_markdown(table);
  CHECK(md.rfind("| result | kind | scenario | model | devices | period_s |", 0) == 0);
  CHECK(md.find("| link cable\\|up |") != std::string::npos); // a '|' in a cell does not split it
  const auto csv = to_csv(precise);
  CHECK(csv.find("\nwifi,run,s_wifi,m,2,1.5,1.6,,0.6666666667,0.625,,3,3.2,,1.333333333,1.25,link cable|up,"
                 "\"a:0-1,b:2\"\n") != std::string::npos);
}

TEST_CASE("compare: labels stay unique, per-stage figures only for one model", "[compare]")
{
  const auto dir = fresh("stages");
  fs::create_directories(dir / "x");
  const auto a       = run_folder(dir, "run", "m", 1.5, true);
  const auto b       = run_folder(dir / "x", "run", "m", 1.0, true);
  const auto results = read_results({a.string(), b.string()});
  CHECK(results[0].label == (a / "result.json").string()); // two folders named run: the paths tell them apart
  const auto stages = stage_table(results, false);
  REQUIRE(stages.rows.size() == 4);
  CHECK(stages.rows[1] == std::vector<std::string>{results[0].label, "1", "b", "l2 .. l2", "2", "0.5"});
  const auto other = run_folder(dir, "other", "n", 1.0, true);
  const auto mixed = read_results({a.string(), other.string()});
  CHECK(comparison_table(mixed, false).rows.size() == 2); // whole placements compare across models
  CHECK_THROWS_AS(stage_table(mixed, false), core::InputError);
  CHECK_THROWS_AS(read_result((dir / "missing").string()), core::InputError);
  std::ofstream(dir / "bad.json") << "{\"scenario\": 3}";
  CHECK_THROWS_AS(read_result((dir / "bad.json").string()), core::InputError);
}

TEST_CASE("compare: grouped bars, throughput and latency in panels of their own, the key under them", "[compare]")
{
  const auto dir = fresh("plot");
  const auto results =
      read_results({run_folder(dir, "a", "m", 1.5, true).string(), run_folder(dir, "b", "m", 1.0, false).string()});
  const auto files = plot_comparison(results, (dir / "bars.pdf").string(), FigureSize::Column);
  CHECK(files == std::vector<std::string>{(dir / "bars.pdf").string()});
  std::ifstream pdf(dir / "bars.pdf");
  std::string magic(4, ' ');
  pdf.read(magic.data(), 4);
  CHECK(magic == "%PDF");
  std::ifstream gp(dir / "bars.gp");
  const std::string script((std::istreambuf_iterator<char>(gp)), std::istreambuf_iterator<char>());
  CHECK(script.find("set multiplot layout 2,1") != std::string::npos); // a column: panels stacked, full width
  CHECK(script.find("set ylabel 'throughput (inferences/s)'") != std::string::npos);
  CHECK(script.find("set ylabel 'latency (s)'") != std::string::npos);
  CHECK(script.find("lc rgb '#0072B2'") != std::string::npos);
  CHECK(script.find("lc rgb '#D55E00'") != std::string::npos);
  std::ifstream dat(dir / "bars.dat");
  const std::string data((std::istreambuf_iterator<char>(dat)), std::istreambuf_iterator<char>());
  CHECK(data.find("\"b\" 1 NaN NaN 3 NaN NaN\n") != std::string::npos); // not simulated nor measured: no bar
  CHECK(script.find("title 'measured'") == std::string::npos);     // no trial: no measured bars
}

TEST_CASE("compare: a trial's result.json, its prediction, simulation and measurement beside a run's", "[compare]")
{
  const auto dir = fresh("trial");
  fs::create_directories(dir / "trial");
  // The fields `pipesplit trial` writes (cli/trial_report.cpp): the prediction as `run` writes it, the replay's
  // figures under "simulated", the trial's summary under "measured".
  std::ofstream(dir / "trial" / "result.json")
      << "{\"scenario\": \"t\", \"placement\": \"a:0-1@1,b:2@1\", \"testbed\": \"emulated on this machine\", "
      << "\"prediction\": {\"model\": \"m\", \"period_s\": 0.1, \"throughput_ips\": 10, \"latency_s\": 0.15, "
      << "\"bottleneck\": {\"kind\": \"device\", \"name\": \"b\", \"load_s\": 0.1}, \"stages\": ["
      << "{\"device\": \"a\", \"first_layer_name\": \"l0\", \"last_layer_name\": \"l1\", \"threads\": 1, "
      << "\"compute_s\": 0.05}, {\"device\": \"b\", \"first_layer_name\": \"l2\", \"last_layer_name\": \"l2\", "
      << "\"threads\": 1, \"compute_s\": 0.1}]}, "
      << "\"simulated\": {\"period_s\": 0.1, \"throughput_ips\": 10, \"first_latency_s\": 0.15}, "
      << "\"measured\": {\"period_s\": 0.125, \"throughput_ips\": 8, \"first_latency_s\": 0.2}}\n";
  const auto results = read_results({(dir / "trial").string(), run_folder(dir, "run", "m", 1.5, true).string()});
  const auto table   = comparison_table(results, false);
  CHECK(table.rows[0] == std::vector<std::string>{"trial", "trial", "t", "m", "2", "0.1", "0.1", "0.125", "10", "10",
                                                  "8", "0.15", "0.15", "0.2", "", "", "device b", "a:0-1@1,b:2@1"});
  CHECK(stage_table(results, false).rows.size() == 4); // one model: stages compare
  plot_comparison(results, (dir / "bars.svg").string(), FigureSize::Page);
  std::ifstream gp(dir / "bars.gp");
  const std::string script((std::istreambuf_iterator<char>(gp)), std::istreambuf_iterator<char>());
  CHECK(script.find("set multiplot layout 1,2") != std::string::npos); // a page: side by side
  CHECK(script.find("set key at screen 0.5, screen 0.02 center bottom") != std::string::npos);
  CHECK(script.find("'' using 4 title 'measured' lc rgb '#009E73'") != std::string::npos);
  CHECK(script.find("'' using 7 title 'measured'") != std::string::npos);
  std::ofstream(dir / "old.json") << "{\"scenario\": \"t\", \"placement\": \"a:0-2\", \"measured\": {}}";
  CHECK_THROWS_WITH(read_result((dir / "old.json").string()),
                    Catch::Contains("old.json") && Catch::Contains("prediction") && Catch::Contains("older"));
}
