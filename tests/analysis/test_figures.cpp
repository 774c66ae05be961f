// Figures a paper can take without editing: the format an output name chooses, the size presets, viridis and
// Okabe-Ito, titles that state every fixed axis value, whole-number axes drawn as steps, one figure per combination
// of the hidden axes with the values in the file names, and predicted-vs-measured panels per unit. Each case reads
// the generated gnuplot script and checks the pictures' magic bytes.

#include "analysis/figure_style.hpp"
#include "analysis/scatter_plot.hpp"
#include "analysis/sweep_plot.hpp"
#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The file exists, is not empty and starts as its format does.
bool is_picture(const fs::path& path)
{
  if (!fs::exists(path) || fs::file_size(path) == 0)
    return false;
  const std::string head = read(path).substr(0, 400);
  const std::string ext  = path.extension().string();
  if (ext == ".pdf")
    return head.rfind("%PDF", 0) == 0;
  if (ext == ".png")
    return head.rfind("\x89PNG", 0) == 0;
  return ext == ".svg" && head.find("<svg") != std::string::npos;
}

// A sweep of tests/data/tiny_paper.yaml over bandwidth (8 values), b's speed (2) and the device count (1, 2): run
// once per test case, in a folder of its own.
fs::path swept(const std::string& which)
{
  const auto dir = fs::temp_directory_path() / ("pipesplit_figures_" + which);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "sweep.source.yaml")
      << "format: pipesplit-sweep/1\nname: tiny figures\nscenario: " << PIPESPLIT_SOURCE_DIR
      << "/tests/data/tiny_paper.yaml\naxes:\n"
      << "  - {name: bandwidth, path: 'platform.links.cable*.bandwidth', range: {from: 0.05MBps, to: 50MBps, steps: "
         "8, scale: log}}\n"
      << "  - {name: b_speed_ratio, path: platform.hosts.b.speed_ratio, values: [0.5, 1]}\n"
      << "  - {name: devices, path: device_count, values: [1, 2]}\n";
  SweepRunOptions options;
  options.out_dir = (dir / "out").string();
  run_sweep(read_sweep_file((dir / "sweep.source.yaml").string()), options);
  return dir;
}

} // namespace

TEST_CASE("an output name's extension chooses the format; no extension writes all three", "[figures]")
{
  CHECK(FigureTarget::of("fig.pdf").stem == "fig");
  CHECK(FigureTarget::of("fig.pdf").formats == std::vector<std::string>{"pdf"});
  CHECK(FigureTarget::of("a.b/fig.svg").files() == std::vector<std::string>{"a.b/fig.svg"});
  CHECK(FigureTarget::of("out/fig").files() == std::vector<std::string>{"out/fig.pdf", "out/fig.png", "out/fig.svg"});
  CHECK(FigureTarget::of("fig.pdf").with_suffix("_model-x").files() == std::vector<std::string>{"fig_model-x.pdf"});
  CHECK(file_name_part("a b/c'd=1e+06") == "a_b_c_d_1e+06");
}

TEST_CASE("size presets: a column is 3.4 in with 8 pt text, a page 7 in with 9 pt, in every format", "[figures]")
{
  CHECK(parse_figure_size("column") == FigureSize::Column);
  CHECK(parse_figure_size("page") == FigureSize::Page);
  CHECK_THROWS_AS(parse_figure_size("poster"), core::InputError);
  const auto column = render_script(FigureTarget::of("f"), {FigureSize::Column, 0.75}, "plot x");
  CHECK(column.find("set terminal pdfcairo noenhanced size 3.400in,2.550in font 'sans,8'") != std::string::npos);
  // 200 pixels per inch; pngcairo reads font sizes at 96 per inch, hence the font scale 200/96
  CHECK(column.find("set terminal pngcairo noenhanced size 680,510 font 'sans,8' fontscale 2.083") !=
        std::string::npos);
  CHECK(column.find("set terminal svg noenhanced size 326,245 font 'sans,8' fontscale 1.333") != std::string::npos);
  const auto page = render_script(FigureTarget::of("f.png"), {FigureSize::Page, 0.5}, "plot x");
  CHECK(page.find("size 1400,700 font 'sans,9'") != std::string::npos);
  CHECK(page.find("pdfcairo") == std::string::npos);
  CHECK(page.find("set output 'f.png'\nplot x\nunset output\n") != std::string::npos);
}

TEST_CASE("palettes: viridis by its published control points, Okabe-Ito for categories", "[figures]")
{
  CHECK(viridis_palette() == "set palette defined (0 '#440154', 1 '#482878', 2 '#3e4989', 3 '#31688e', 4 '#26828e', "
                             "5 '#1f9e89', 6 '#35b779', 7 '#6ece58', 8 '#b5de2b', 9 '#fde725')\n");
  CHECK(okabe_ito().size() == 8);
  CHECK(okabe_ito_colour(0) == "rgb '#0072B2'");
  CHECK(okabe_ito_colour(9) == "rgb '#D55E00'"); // cycles
}

TEST_CASE("a sweep plot: one figure per hidden-axis combination, values in names and titles", "[figures]")
{
  const auto dir = swept("hidden");
  const auto out = dir / "out";
  const auto written =
      plot_sweep({.dir = out.string(), .x = "bandwidth", .y = "b_speed_ratio", .fixed = {}, .output = {}});
  CHECK(written.size() == 6); // devices 1 and 2, three formats each
  for (const std::string devices : {"1", "2"}) {
    const auto stem = out / ("speedup_bandwidth_b_speed_ratio_devices-" + devices);
    for (const std::string ext : {".pdf", ".png", ".svg"})
      CHECK(is_picture(stem.string() + ext));
    const auto script = read(stem.string() + ".gp");
    CHECK(script.find("set title 'tiny figures: speed-up of the best partition' . \"\\n\" . 'devices = " + devices) !=
          std::string::npos);
    CHECK(script.find(viridis_palette()) != std::string::npos);
    CHECK(
        read(stem.string() + ".caption.txt") ==
        "tiny figures: speed-up of the best partition over the best single device (colour, solver) over bandwidth "
        "(Mbit/s) and b_speed_ratio, with the closed form's boundaries; circles: simulated points, filled with their "
        "simulated speed-up on the same colour scale. Fixed: devices = " +
            devices + ".\n");
    CHECK(script.find("rgbformulae") == std::string::npos);
  }
  // --fix chooses; the default name carries the fixed value, so two --fix never share a file
  for (const std::string devices : {"1", "2"}) {
    const auto files = plot_sweep(
        {.dir = out.string(), .x = "bandwidth", .y = "b_speed_ratio", .fixed = {{"devices", devices}}, .output = {}});
    CHECK(files.front() == (out / ("speedup_bandwidth_b_speed_ratio_devices-" + devices + ".pdf")).string());
  }
}

TEST_CASE("plot -o fig.pdf writes fig.pdf, and only it", "[figures]")
{
  const auto dir   = swept("pdf");
  const auto fig   = dir / "fig.pdf";
  const auto files = plot_sweep({.dir    = (dir / "out").string(),
                                 .x      = "bandwidth",
                                 .y      = "b_speed_ratio",
                                 .fixed  = {{"devices", "2"}},
                                 .output = fig.string()});
  CHECK(files == std::vector<std::string>{fig.string()});
  CHECK(is_picture(fig));
  CHECK_FALSE(fs::exists(dir / "fig.pdf.png"));
  CHECK_FALSE(fs::exists(dir / "fig.png"));
  // more figures than one name: each gets its hidden values
  const auto many = plot_sweep(
      {.dir = (dir / "out").string(), .x = "bandwidth", .y = "b_speed_ratio", .output = (dir / "m.svg").string()});
  CHECK(many == std::vector<std::string>{(dir / "m_devices-1.svg").string(), (dir / "m_devices-2.svg").string()});
  CHECK(is_picture(dir / "m_devices-2.svg"));
}

TEST_CASE("a whole-number axis: boundaries on the cells' edges, curves as steps, tics on the values", "[figures]")
{
  const auto dir = swept("integer");
  const auto out = (dir / "out").string();
  plot_sweep({.dir    = out,
              .x      = "bandwidth",
              .y      = "devices",
              .fixed  = {{"b_speed_ratio", "1"}},
              .output = (dir / "heat").string(),
              .size   = FigureSize::Column});
  const auto heat = read(dir / "heat.gp");
  CHECK(heat.find("set contour") == std::string::npos);
  CHECK(heat.find("along the cells' edges") != std::string::npos);
  CHECK(heat.find("set ytics (1, 2)\n") != std::string::npos);
  CHECK(heat.find("'b_speed_ratio = 1'") != std::string::npos);
  CHECK(heat.find("size 3.400in") != std::string::npos);
  // no cell of one device can be split: where the closed form draws no line, the title says why
  plot_sweep({.dir    = out,
              .x      = "bandwidth",
              .y      = "b_speed_ratio",
              .fixed  = {{"devices", "1"}},
              .output = (dir / "one").string()});
  CHECK(read(dir / "one.gp").find("closed form: one cut helps in no cell") != std::string::npos);
  // every boundary segment lies on a cell edge: between the two device counts (y = 1.5) or at a bandwidth cell's edge
  std::istringstream segments(read(dir / "heat.one_cut.dat"));
  for (std::string line; std::getline(segments, line);)
    if (!line.empty() && line[0] != '#') {
      double x = 0, y = 0;
      std::istringstream(line) >> x >> y;
      CHECK((y == 0.5 || y == 1.5 || y == 2.5 || x > 0));
    }
  plot_sweep({.dir    = out,
              .x      = "devices",
              .series = "b_speed_ratio",
              .fixed  = {{"bandwidth", "50000000"}},
              .output = (dir / "steps.png").string()});
  const auto steps = read(dir / "steps.gp");
  CHECK(steps.find("using 5:2 with steps") != std::string::npos);
  // steps from half-way below each device count to half-way above: 0.5 to 1.5, 1.5 to 2.5
  const auto step_data = read(dir / "steps.dat");
  CHECK(step_data.find(" 0.5\n") != std::string::npos);
  CHECK(step_data.find("\nNaN ") != std::string::npos);
  CHECK(step_data.find(" 2.5\n") != std::string::npos);
  CHECK(steps.find("set xtics (1, 2)\n") != std::string::npos);
  CHECK(steps.find("'bandwidth = 400 Mbit/s'") != std::string::npos);
  CHECK(is_picture(dir / "steps.png"));
}

TEST_CASE("curves: few series keyed in Okabe-Ito, many along viridis with a colour box", "[figures]")
{
  const auto dir = swept("series");
  const auto out = (dir / "out").string();
  plot_sweep({.dir = out, .x = "b_speed_ratio", .series = "devices", .output = (dir / "few").string()});
  const auto few = read(dir / "few_bandwidth-50000.gp");
  CHECK(few.find("lc rgb '#0072B2' title '1'") != std::string::npos);
  CHECK(few.find("lc rgb '#D55E00' title '2'") != std::string::npos);
  // The key is boxed, its heading apart from the x label: 5 entries of up to 20 characters take 3 columns across a
  // page (83 characters of plot), so 2 rows; in a column (41 characters), the style entries shortened to 11, 2
  // columns and 3 rows. The bottom margin: 6 character heights for tics, label and heading, 1.3 per row.
  CHECK(few.find("set key title 'devices' left\nset key box lc rgb 'gray60' width 1 spacing 1.2 maxcols 3\n"
                 "set bmargin 8.6\n") != std::string::npos);
  plot_sweep({.dir    = out,
              .x      = "b_speed_ratio",
              .series = "devices",
              .output = (dir / "few_column").string(),
              .size   = FigureSize::Column});
  const auto few_column = read(dir / "few_column_bandwidth-50000.gp");
  CHECK(few_column.find("maxcols 2\nset bmargin 9.9\n") != std::string::npos);
  CHECK(few_column.find("title 'closed form'") != std::string::npos);
  plot_sweep({.dir    = out,
              .x      = "b_speed_ratio",
              .series = "bandwidth",
              .fixed  = {{"devices", "2"}},
              .output = (dir / "many.pdf").string()});
  const auto many = read(dir / "many.gp");
  CHECK(many.find("lc palette cb 0.4") != std::string::npos); // 50 kB/s = 0.4 Mbit/s
  CHECK(many.find("set cblabel 'bandwidth (Mbit/s)'") != std::string::npos);
  CHECK(many.find("title '0.4'") == std::string::npos); // no key entry per series
  CHECK(is_picture(dir / "many.pdf"));
}

TEST_CASE("predicted vs measured: one panel per unit, never seconds and inferences/s on one pair of axes", "[figures]")
{
  const auto dir = fs::temp_directory_path() / "pipesplit_figures_scatter";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<ScatterPoint> points{{"stage 0", 0.1, 0.11, "s", "stage"},
                                         {"transfer a->b", 0.02, 0.025, "s", "transfer"},
                                         {"throughput", 9, 8, "inferences/s", "throughput"}};
  const auto files = plot_predicted_vs_measured(points, (dir / "v").string(), "tiny: predicted vs measured");
  CHECK(files.size() == 3);
  const auto script = read(dir / "v.gp");
  CHECK(script.find("set multiplot layout 1,2") != std::string::npos);
  CHECK(script.find("set xlabel 'measured (s)'") != std::string::npos);
  CHECK(script.find("set xlabel 'measured (inferences/s)'") != std::string::npos);
  for (const auto& file : files)
    CHECK(is_picture(file));
  // a column stacks the panels: side by side they would be 1.7 in wide each
  plot_predicted_vs_measured(points, (dir / "c.png").string(), "column", FigureSize::Column);
  CHECK(read(dir / "c.gp").find("set multiplot layout 2,1") != std::string::npos);
  CHECK(is_picture(dir / "c.png"));
}
