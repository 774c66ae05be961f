#include "analysis/scatter_plot.hpp"
#include "analysis/gnuplot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace pipesplit::analysis {

void plot_predicted_vs_measured(const std::vector<ScatterPoint>& points, const std::string& stem,
                                const std::string& title)
{
  double low = 1e300, high = 0;
  std::ofstream data(stem + ".dat");
  data << "# measured predicted label (same unit per point: seconds, or inferences/s for throughput)\n";
  for (const auto& p : points) {
    data << fmt::format("{:.9g} {:.9g} {}\n", p.measured, p.predicted, gnuplot_string(p.label));
    low  = std::min({low, p.measured, p.predicted});
    high = std::max({high, p.measured, p.predicted});
  }
  data.close();
  low /= 2;
  high *= 2;
  std::ofstream script(stem + ".gp");
  script << "set terminal pngcairo noenhanced size 800,800 font 'sans,10'\n"
         << "set output " << gnuplot_string(stem + ".png") << "\n"
         << "set title " << gnuplot_string(title) << "\n"
         << "set logscale xy\n"
         << fmt::format("set xrange [{:.6g}:{:.6g}]\nset yrange [{:.6g}:{:.6g}]\n", low, high, low, high)
         << "set xlabel 'measured'\nset ylabel 'predicted'\nset grid\nset key top left\n"
         << "plot x with lines lc rgb 'black' title 'predicted = measured', \\\n"
         << "     1.1*x with lines dt 2 lc rgb 'gray' title '+-10%', 0.9*x with lines dt 2 lc rgb 'gray' notitle, \\\n"
         << "     " << gnuplot_string(stem + ".dat")
         << " using 1:2 with points pt 7 ps 1.5 lc rgb 'blue' title 'figures', \\\n"
         << "     '' using 1:2:3 with labels offset 1,0.5 left font 'sans,8' notitle\n";
  script.close();
  run_gnuplot(stem + ".gp");
}

} // namespace pipesplit::analysis
