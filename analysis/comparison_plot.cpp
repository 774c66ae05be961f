#include "analysis/comparison_plot.hpp"
#include "analysis/gnuplot.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace pipesplit::analysis {

namespace {

std::string value(const std::optional<double>& v)
{
  return v ? fmt::format("{:.10g}", *v) : "NaN";
}

double largest(const std::vector<ResultSummary>& results,
               std::initializer_list<std::optional<double> ResultSummary::*> figures)
{
  double top = 0;
  for (const auto& r : results)
    for (const auto figure : figures)
      top = std::max(top, (r.*figure).value_or(0));
  return top > 0 ? top : 1;
}

// One panel: bars of the data file's columns `predicted`, the simulated one after it and, when `measured` (some
// result is a trial), the measured one after that, labelled by result, with headroom. The key (of the first panel)
// goes under both panels, in a bottom margin they share, never over the bars.
std::string panel(const std::string& data, int predicted, const std::string& ylabel, bool key, bool measured,
                  double top)
{
  return fmt::format(
      "set ylabel {}\nset yrange [0:{:.6g}]\n{}"
      "plot {} using {}:xtic(1) title 'predicted' lc {}, '' using {} title 'simulated' lc {}{}\n",
      gnuplot_string(ylabel), 1.15 * top,
      key ? "set key at screen 0.5, screen 0.02 center bottom horizontal maxrows 1 Left reverse samplen 1\n"
          : "unset key\n",
      gnuplot_string(data), predicted, okabe_ito_colour(0), predicted + 1, okabe_ito_colour(1),
      measured ? fmt::format(", '' using {} title 'measured' lc {}", predicted + 2, okabe_ito_colour(2))
               : std::string());
}

} // namespace

std::vector<std::string> plot_comparison(const std::vector<ResultSummary>& results, const std::string& output,
                                         FigureSize size)
{
  const FigureTarget target = FigureTarget::of(output);
  std::ostringstream data;
  data << "# result throughput_ips sim_throughput_ips measured_throughput_ips latency_s sim_latency_s "
          "measured_latency_s (NaN: not in the result)\n";
  for (const auto& r : results)
    data << fmt::format("{} {} {} {} {} {} {}\n", gnuplot_data_string(r.label), value(r.throughput_ips),
                        value(r.sim_throughput_ips), value(r.measured_throughput_ips), value(r.latency_s),
                        value(r.sim_latency_s), value(r.measured_latency_s));
  write_file_atomically(target.stem + ".dat", data.str());
  const bool measured =
      std::any_of(results.begin(), results.end(), [](const ResultSummary& r) { return r.measured_period_s; });
  const std::string file = target.stem + ".dat";
  // Side by side on a page; stacked in a column, where half the width leaves no room for the bars or the key. The
  // bottom margin holds the tic labels and the key (stacked: the margin under the lower panel, as a share of the
  // figure, so that both panels are the same height).
  const bool stacked = size == FigureSize::Column;
  std::string plot   = std::string(stacked ? "set multiplot layout 2,1 margins 0.2,0.96,0.17,0.91 spacing 0,0.2\n"
                                           : "set multiplot layout 1,2\n") +
                     "set style data histogram\n"
                     "set style histogram clustered gap 1\nset style fill solid 0.9 border rgb 'black'\n"
                     "set boxwidth 0.9\nset grid ytics\nset xtics rotate by -30 left nomirror scale 0\n" +
                     fmt::format("set xrange [-0.6:{}]\n{}", static_cast<double>(results.size()) - 0.4,
                                 stacked ? "" : "set bmargin 6\n");
  using R = ResultSummary;
  plot += "set title 'throughput'\n" +
          panel(file, 2, "throughput (inferences/s)", true, measured,
                largest(results, {&R::throughput_ips, &R::sim_throughput_ips, &R::measured_throughput_ips}));
  plot += "set title 'latency (first input)'\n" +
          panel(file, 5, "latency (s)", false, measured,
                largest(results, {&R::latency_s, &R::sim_latency_s, &R::measured_latency_s}));
  plot += "unset multiplot";
  write_file_atomically(target.stem + ".gp", render_script(target, {size, stacked ? 1.1 : 0.55}, plot));
  run_gnuplot(target.stem + ".gp");
  return target.files();
}

} // namespace pipesplit::analysis
