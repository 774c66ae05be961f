#pragma once
// Several runs and trials side by side (`pipesplit compare`): what each result.json (written by `pipesplit run --out
// DIR` or `pipesplit trial --out DIR`) says about its placement, as one table for people (Markdown) and tools (CSV),
// and per stage when asked.
//
// Columns (README, "Comparing results"): result, kind (run or trial), scenario, model, devices (used by the
// placement), period_s, sim_period_s, measured_period_s, throughput_ips, sim_throughput_ips,
// measured_throughput_ips, latency_s (one input through an idle pipeline), sim_latency_s and measured_latency_s (the
// first input's), speedup (over the best single device, predicted), sim_speedup (the best single device's predicted
// period over the simulated one), bottleneck, placement. A figure the result lacks is empty (a run measures nothing;
// a trial's result has no best single device).

#include "analysis/layer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pipesplit::analysis {

struct StageFigures {
  int stage = 0;
  std::string device;
  std::string layers; // "l0 .. l1"
  int threads      = 0;
  double compute_s = 0;
};

struct ResultSummary {
  std::string label; // how tables name it: the run folder's name (the path when names repeat)
  std::string path;  // the result.json read
  std::string kind; // "run" or "trial"
  std::string scenario, model, placement, bottleneck;
  int devices = 0;
  std::optional<double> period_s, throughput_ips, latency_s, speedup;
  std::optional<double> sim_period_s, sim_throughput_ips, sim_latency_s, sim_speedup;
  std::optional<double> measured_period_s, measured_throughput_ips, measured_latency_s;
  std::vector<StageFigures> stages;
};

// A result.json, or a run folder holding one. Throws InputError naming the file and the field.
ResultSummary read_result(const std::string& path);
// read_result for each, with labels made unique.
std::vector<ResultSummary> read_results(const std::vector<std::string>& paths);

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// `precise`: numbers with 10 significant digits (CSV); else 4 (Markdown, the terminal).
TextTable comparison_table(const std::vector<ResultSummary>& results, bool precise);
// Per stage of every result: result, stage, device, layers, threads, compute_s. Throws InputError when the results
// are of different models (their stages would not be the same layers).
TextTable stage_table(const std::vector<ResultSummary>& results, bool precise);

std::string to_markdown(const TextTable& table); // a GitHub-flavoured Markdown table, '|' in cells escaped
std::string to_csv(const TextTable& table);      // RFC 4180, one header line

} // namespace pipesplit::analysis
