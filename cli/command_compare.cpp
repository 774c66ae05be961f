// pipesplit compare RESULT... [--out DIR]: several runs' result.json side by side, as a Markdown table on stdout
// and, with --out, comparison.md, comparison.csv and a grouped bar figure (throughput and latency).

#include "analysis/comparison_plot.hpp"
#include "analysis/result_comparison.hpp"
#include "cli/command.hpp"
#include "core/output_file.hpp"

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus compare_main(const Args& args)
{
  std::string out_dir, size = "page";
  std::vector<std::string> paths;
  po::options_description options("Options");
  options.add_options()("out,o", po::value(&out_dir),
                        "also write DIR/comparison.md, DIR/comparison.csv and DIR/comparison.{pdf,png,svg}")(
      "stages", "also compare per-stage figures (results of one model only)")(
      "size", po::value(&size), "the figure's size: column (3.4 in, 8 pt) or page (7 in, 9 pt; default)");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit compare RESULT... [--stages] [--out DIR] [--size column|page]\n"
                            "Several results (result.json files, or the folders `pipesplit run --out` or `trial --out` "
                            "wrote) side by side: period, throughput, latency, speed-up, bottleneck, devices used; "
                            "predicted, simulated and (trials) measured.";
  if (!parse_command_line(args, usage, options, nullptr, values, &paths))
    return ExitStatus::Ok;
  if (paths.empty())
    throw InputError("command line", "RESULT", "give at least one result.json or run folder (see --help)");
  const auto figure_size = analysis::parse_figure_size(size);
  const auto results     = analysis::read_results(paths);
  const bool stages      = values.count("stages") > 0;
  const auto stage_rows  = stages ? analysis::stage_table(results, false) : analysis::TextTable{};
  std::cout << analysis::to_markdown(analysis::comparison_table(results, false));
  if (stages)
    std::cout << '\n' << analysis::to_markdown(stage_rows);
  if (out_dir.empty())
    return ExitStatus::Ok;
  const std::filesystem::path dir(out_dir);
  std::filesystem::create_directories(dir);
  write_file_atomically((dir / "comparison.md").string(),
                        analysis::to_markdown(analysis::comparison_table(results, false)) +
                            (stages ? "\n" + analysis::to_markdown(stage_rows) : ""));
  write_file_atomically((dir / "comparison.csv").string(), analysis::to_csv(analysis::comparison_table(results, true)));
  if (stages)
    write_file_atomically((dir / "comparison_stages.csv").string(),
                          analysis::to_csv(analysis::stage_table(results, true)));
  analysis::plot_comparison(results, (dir / "comparison").string(), figure_size);
  std::vector<InputFile> inputs;
  for (const auto& result : results)
    inputs.push_back(hashed_input("result", result.path));
  write_figure_provenance({(dir / "comparison").string()}, "compare", args, inputs);
  std::cout << "\nwrote " << (dir / "comparison.md").string() << ", " << (dir / "comparison.csv").string()
            << (stages ? ", " + (dir / "comparison_stages.csv").string() : "") << " and "
            << (dir / "comparison").string() << ".{pdf,png,svg}\n";
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
