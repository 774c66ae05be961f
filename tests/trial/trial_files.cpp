#include "tests/trial/trial_files.hpp"

#include <fmt/format.h>

#include <fstream>

namespace pipesplit::test {

namespace {

void write_platform(const std::filesystem::path& file, const TrialScenario& t)
{
  std::ofstream platform(file);
  platform << "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
           << "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n";
  for (int h = 0; h < t.hosts; ++h)
    platform << fmt::format("    <host id=\"h{}\" speed=\"{:.0f}f\" core=\"1\"/>\n", h, t.share * t.machine_flops);
  // SimGrid wants every link before the first route.
  if (t.one_shared_link)
    platform << fmt::format("    <link id=\"air\" bandwidth=\"{:.0f}bps\" latency=\"0\" sharing_policy=\"SHARED\"/>\n",
                            t.bandwidth_bps);
  else
    for (int a = 0; a < t.hosts; ++a)
      for (int b = a + 1; b < t.hosts; ++b)
        platform << fmt::format(
            "    <link id=\"l{}{}\" bandwidth=\"{:.0f}bps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n", a, b,
            t.bandwidth_bps);
  for (int a = 0; a < t.hosts; ++a)
    for (int b = a + 1; b < t.hosts; ++b)
      platform << (t.one_shared_link
                       ? fmt::format("    <route src=\"h{0}\" dst=\"h{1}\"><link_ctn id=\"air\"/></route>\n", a, b)
                       : fmt::format("    <route src=\"h{0}\" dst=\"h{1}\"><link_ctn id=\"l{0}{1}\" direction=\"UP\"/>"
                                     "</route>\n",
                                     a, b));
  platform << "  </zone>\n</platform>\n";
}

} // namespace

std::string write_trial_scenario(const std::filesystem::path& folder, const TrialScenario& t)
{
  std::filesystem::create_directories(folder);
  write_platform(folder / "platform.xml", t);
  const auto path = folder / "scenario.yaml";
  std::ofstream scenario(path);
  scenario << "name: trial_test\nplatform: platform.xml\nmodel: resnet18\nmodel_resolution: 64\nchain: blocks\n"
              "source: h0\nsink: h0\ndeployment:\n  threads: 1\n  queue_depth: 1\n"
           << t.deployment << "simulation:\n  inferences: 20\n  warmup: 5\n";
  return path.string();
}

} // namespace pipesplit::test
