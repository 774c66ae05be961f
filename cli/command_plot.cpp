// pipesplit plot DIR: pictures of a sweep's results.

#include "analysis/sweep_plot.hpp"
#include "analysis/sweep_spec.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus plot_main(const Args& args)
{
  analysis::PlotRequest request;
  std::vector<std::string> fixed;
  std::string size = "page";
  po::options_description options("Options");
  options.add_options()("x", po::value(&request.x), "axis along x (default: the sweep's first axis)")(
      "y", po::value(&request.y), "axis along y: a heatmap (default: the second axis, if any)")(
      "series", po::value(&request.series), "no --y: one curve per value of this axis")(
      "curves", "draw curves along --x even if the sweep has a second axis")(
      "value", po::value(&request.value),
      "a results.csv column to draw as a heatmap instead of the speed-up (plan_devices, plan_energy_J, ...)")(
      "fix", po::value(&fixed), "NAME=VALUE: the value of another axis (default: its first value); repeatable")(
      "output,o", po::value(&request.output),
      "FILE.pdf, FILE.png or FILE.svg: that format; a name without extension: all three (default: "
      "DIR/speedup_<x>[_<y>]_<axis>-<value>... for the other axes)")(
      "size", po::value(&size), "column (3.4 in wide, 8 pt text) or page (7 in, 9 pt; default)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit plot DIR [--x AXIS] [--y AXIS | --series AXIS | --curves] "
                            "[--value COLUMN] [--fix AXIS=VALUE]... [-o FILE] [--size column|page]\n"
                            "Draw a sweep's speed-up: a heatmap over two axes with the closed-form boundary and the "
                            "simulated points, or curves; one figure per combination of the axes neither drawn nor "
                            "fixed.";
  if (!parse_command_line(args, usage, options, &request.dir, values))
    return ExitStatus::Ok;
  const auto sweep_file = (std::filesystem::path(request.dir) / "sweep.yaml").string();
  if (!std::filesystem::exists(sweep_file))
    throw InputError(request.dir, "", "holds no sweep.yaml: not a sweep folder");
  const auto spec = analysis::read_sweep_file(sweep_file);
  auto numeric    = [](const analysis::Axis& axis) { return std::holds_alternative<double>(axis.values.front()); };
  if (request.x.empty())
    for (const auto& axis : spec.axes)
      if (numeric(axis)) {
        request.x = axis.name;
        break;
      }
  if (request.x.empty())
    throw InputError(sweep_file, "axes", "no numeric axis to plot along");
  if (request.y.empty() && request.series.empty() && !values.count("curves"))
    for (const auto& axis : spec.axes)
      if (axis.name != request.x && numeric(axis)) {
        request.y = axis.name;
        break;
      }
  for (const auto& setting : fixed) {
    const auto equal = setting.find('=');
    if (equal == std::string::npos)
      throw InputError("command line", "--fix", fmt::format("expected NAME=VALUE, got '{}'", setting));
    request.fixed[setting.substr(0, equal)] = setting.substr(equal + 1);
  }
  request.size        = analysis::parse_figure_size(size);
  const auto pictures = analysis::plot_sweep(request);
  for (const auto& picture : pictures)
    std::cout << "wrote " << picture << '\n';
  const std::filesystem::path dir(request.dir);
  write_figure_provenance(pictures, "plot", args,
                          {hashed_input("sweep results", (dir / "results.csv").string()),
                           hashed_input("sweep", sweep_file),
                           hashed_input("sweep provenance", (dir / "provenance.json").string())});
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
