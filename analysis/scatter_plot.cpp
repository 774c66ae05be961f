#include "analysis/scatter_plot.hpp"
#include "analysis/gnuplot.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace pipesplit::analysis {

void plot_predicted_vs_measured(const std::vector<ScatterPoint>& points, const std::string& stem,
                                const std::string& title)
{
  double low = 1e300, high = 0;
  std::ostringstream data;
  data << "# measured predicted label (same unit per point: seconds, or inferences/s for throughput)\n";
  for (const auto& p : points) {
    data << fmt::format("{:.9g} {:.9g} {}\n", p.measured, p.predicted, gnuplot_data_string(p.label));
    low  = std::min({low, p.measured, p.predicted});
    high = std::max({high, p.measured, p.predicted});
  }
  write_file_atomically(stem + ".dat", data.str());
  low /= 2;
  high *= 2;
  std::ostringstream script;
  script << "set terminal pngcairo noenhanced size 800,800 font 'sans,10'\n"
         << "set output " << gnuplot_output(stem + ".png") << "\n"
         << "set title " << gnuplot_string(title) << "\n"
         << "set logscale xy\n"
         << fmt::format("set xrange [{:.6g}:{:.6g}]\nset yrange [{:.6g}:{:.6g}]\n", low, high, low, high)
         << "set xlabel 'measured'\nset ylabel 'predicted'\nset grid\nset key top left\n"
         << "plot x with lines lc rgb 'black' title 'predicted = measured', \\\n"
         << "     1.1*x with lines dt 2 lc rgb 'gray' title '+-10%', 0.9*x with lines dt 2 lc rgb 'gray' notitle, \\\n"
         << "     " << gnuplot_string(stem + ".dat")
         << " using 1:2 with points pt 7 ps 1.5 lc rgb 'blue' title 'figures', \\\n"
         << "     '' using 1:2:3 with labels offset 1,0.5 left font 'sans,8' notitle\n";
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
}

} // namespace pipesplit::analysis
