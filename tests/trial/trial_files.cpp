#include "tests/trial/trial_files.hpp"

#include <fmt/format.h>

#include <fstream>

namespace pipesplit::test {

std::string write_trial_scenario(const std::filesystem::path& folder, int hosts, double share, double bandwidth_bps,
                                 double machine_flops, const std::string& deployment)
{
  std::filesystem::create_directories(folder);
  const double speed = share * machine_flops;
  std::ofstream platform(folder / "platform.xml");
  platform << "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
           << "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n";
  for (int h = 0; h < hosts; ++h)
    platform << fmt::format("    <host id=\"h{}\" speed=\"{:.0f}f\" core=\"1\"/>\n", h, speed);
  for (int a = 0; a < hosts; ++a) // SimGrid wants every link before the first route
    for (int b = a + 1; b < hosts; ++b)
      platform << fmt::format(
          "    <link id=\"l{}{}\" bandwidth=\"{:.0f}bps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n", a, b,
          bandwidth_bps);
  for (int a = 0; a < hosts; ++a)
    for (int b = a + 1; b < hosts; ++b)
      platform << fmt::format(
          "    <route src=\"h{0}\" dst=\"h{1}\"><link_ctn id=\"l{0}{1}\" direction=\"UP\"/></route>\n", a, b);
  platform << "  </zone>\n</platform>\n";
  const auto path = folder / "scenario.yaml";
  std::ofstream scenario(path);
  scenario << "name: trial_test\nplatform: platform.xml\nmodel: resnet18\nmodel_resolution: 64\nchain: blocks\n"
              "source: h0\nsink: h0\ndeployment:\n  threads: 1\n  queue_depth: 1\n"
           << deployment << "simulation:\n  inferences: 20\n  warmup: 5\n";
  return path.string();
}

} // namespace pipesplit::test
