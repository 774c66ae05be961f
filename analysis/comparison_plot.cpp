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

double largest(const std::vector<ResultSummary>& results, std::optional<double> ResultSummary::*a,
               std::optional<double> ResultSummary::*b)
{
  double top = 0;
  for (const auto& r : results)
    top = std::max({top, (r.*a).value_or(0), (r.*b).value_or(0)});
  return top > 0 ? top : 1;
}

// One panel: bars of columns `predicted` and `simulated` of the data file, labelled by result, with headroom.
std::string panel(const std::string& data, int predicted, const std::string& ylabel, bool key, double top)
{
  return fmt::format("set ylabel {}\nset yrange [0:{:.6g}]\n{}"
                     "plot {} using {}:xtic(1) title 'predicted' lc {}, '' using {} title 'simulated' lc {}\n",
                     gnuplot_string(ylabel), 1.15 * top,
                     key ? "set key top left Left reverse samplen 1\n" : "unset key\n", gnuplot_string(data), predicted,
                     okabe_ito_colour(0), predicted + 1, okabe_ito_colour(1));
}

} // namespace

std::vector<std::string> plot_comparison(const std::vector<ResultSummary>& results, const std::string& output,
                                         FigureSize size)
{
  const FigureTarget target = FigureTarget::of(output);
  std::ostringstream data;
  data << "# result throughput_ips sim_throughput_ips latency_s sim_latency_s (NaN: not in the result)\n";
  for (const auto& r : results)
    data << fmt::format("{} {} {} {} {}\n", gnuplot_data_string(r.label), value(r.throughput_ips),
                        value(r.sim_throughput_ips), value(r.latency_s), value(r.sim_latency_s));
  write_file_atomically(target.stem + ".dat", data.str());
  const std::string file = target.stem + ".dat";
  std::string plot       = "set multiplot layout 1,2\nset style data histogram\n"
                           "set style histogram clustered gap 1\nset style fill solid 0.9 border rgb 'black'\n"
                           "set boxwidth 0.9\nset grid ytics\nset xtics rotate by -30 left nomirror scale 0\n" +
                     fmt::format("set xrange [-0.6:{}]\n", static_cast<double>(results.size()) - 0.4);
  plot += "set title 'throughput'\n" +
          panel(file, 2, "throughput (inferences/s)", true,
                largest(results, &ResultSummary::throughput_ips, &ResultSummary::sim_throughput_ips));
  plot +=
      "set title 'latency (one input)'\n" +
      panel(file, 4, "latency (s)", false, largest(results, &ResultSummary::latency_s, &ResultSummary::sim_latency_s));
  plot += "unset multiplot";
  write_file_atomically(target.stem + ".gp", render_script(target, {size, 0.5}, plot));
  run_gnuplot(target.stem + ".gp");
  return target.files();
}

} // namespace pipesplit::analysis
