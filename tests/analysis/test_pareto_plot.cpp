// The Pareto figure (pareto_plot.hpp): its data file marks the front, its panels cover every pair of axes, and a
// title carrying commands (a scenario's name) is drawn as text.

#include "analysis/pareto_plot.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipesplit;
using namespace pipesplit::solver;
using pipesplit::analysis::plot_pareto;
namespace fs = std::filesystem;

static std::string read(const fs::path& path)
{
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("the Pareto figure: the front marked, one panel per pair of axes, commands in titles stay text",
          "[pareto][gnuplot][security]")
{
  const auto dir = fs::temp_directory_path() / "pipesplit it's a pareto `touch x`";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto marker = fs::temp_directory_path() / "pipesplit_gnuplot_PWNED_pareto";
  fs::remove(marker);
  Figures fast{.period_s = 0.1, .latency_s = 0.3, .energy_J = 2, .cost = 110, .devices = 2, .stages = 2, .text = "a"};
  Figures lean{.period_s = 0.2, .latency_s = 0.2, .energy_J = 1, .cost = 55, .devices = 1, .stages = 1, .text = "b"};
  Figures worse                = fast;
  worse.period_s               = 0.3;
  const std::vector<Axis> axes = {Axis::Throughput, Axis::Latency, Axis::Devices, Axis::Energy};
  const auto stem              = (dir / "front").string();
  plot_pareto({fast, lean, worse}, {{{}, fast, true, {}}, {{}, lean, true, {}}}, axes, stem,
              "t`touch " + marker.string() + "`\n!touch x");
  CHECK(fs::file_size(stem + ".png") > 1000);
  CHECK_FALSE(fs::exists(marker));
  const std::string data = read(stem + ".dat");
  CHECK(data.find("10 0.3 2 2 110 1\n") != std::string::npos);         // fast, on the front (throughput 10/s)
  CHECK(data.find("3.33333333 0.3 2 2 110 0\n") != std::string::npos); // worse, explored only
  const std::string script = read(stem + ".gp");
  size_t panels            = 0;
  for (size_t at = script.find("\nplot "); at != std::string::npos; at = script.find("\nplot ", at + 1))
    ++panels;
  CHECK(panels == 6);                                 // 4 axes: 6 pairs
  CHECK(script.find("#D55E00") != std::string::npos); // Okabe-Ito vermillion for the front
}
