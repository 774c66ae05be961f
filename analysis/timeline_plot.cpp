#include "analysis/timeline_plot.hpp"
#include "analysis/figure_style.hpp"
#include "analysis/gnuplot.hpp"
#include "core/output_file.hpp"

#include <fmt/format.h>

#include <map>
#include <sstream>
#include <vector>

namespace pipesplit::analysis {

void plot_timeline(const sim::ReplayResult& replay, const std::string& stem, const std::string& title)
{
  const std::vector<std::string>& lanes = replay.lanes;
  double origin                         = replay.timeline.empty() ? 0 : replay.timeline.front().start_s;
  double end                            = origin;
  for (const auto& event : replay.timeline) {
    origin = std::min(origin, event.start_s);
    end    = std::max(end, event.end_s);
  }
  std::map<std::string, size_t> lane_of;
  for (size_t i = 0; i < lanes.size(); ++i)
    lane_of[lanes[i]] = lanes.size() - 1 - i; // first lane on top

  std::ostringstream data;
  data << "# start_s end_s lane input kind (times from the first event shown)\n";
  for (const auto& event : replay.timeline)
    data << fmt::format("{:.9g} {:.9g} {} {} {}\n", event.start_s - origin, event.end_s - origin, lane_of[event.lane],
                        event.input, event.kind);
  write_file_atomically(stem + ".dat", data.str());

  std::string ytics;
  for (size_t i = 0; i < lanes.size(); ++i)
    ytics += fmt::format("{}{} {}", i ? ", " : "", gnuplot_string(lanes[i]), lane_of[lanes[i]]);
  // Inputs in Okabe-Ito colours (8, cycling): neighbouring inputs differ for every reader.
  std::string colours;
  for (size_t i = 0; i < okabe_ito().size(); ++i)
    colours += fmt::format("set linetype {} lc {}\n", i + 1, okabe_ito_colour(i));
  std::ostringstream script;
  script << colours << "set title " << gnuplot_string(title) << "\n"
         << "set xlabel 'simulated time since the first event shown (s)'\n"
         << "set ytics (" << ytics << ")\n"
         << fmt::format("set yrange [-0.6:{}]\n", lanes.size() - 0.4)
         << fmt::format("set xrange [0:{:.9g}]\n", std::max(end - origin, 1e-9)) << "set grid xtics\n"
         << "unset key\n"
         << "set style fill solid 0.8 border rgb 'black'\n"
         << "set style textbox opaque fillcolor rgb 'white' noborder margins 0.5,0.5\n";
  const std::string plot = "plot " + gnuplot_string(stem + ".dat") +
                           " using (($1+$2)/2):3:(($2-$1)/2):(0.35):(int($4)%8+1) with boxxyerror lc variable, \\\n"
                           "     '' using (($1+$2)/2):3:(sprintf('%d', $4)) with labels boxed font ',6'";
  script << render_script(FigureTarget::of(stem), {FigureSize::Page, 0.1, 0.3 * static_cast<double>(lanes.size())},
                          plot);
  write_file_atomically(stem + ".gp", script.str());
  run_gnuplot(stem + ".gp");
}

} // namespace pipesplit::analysis
