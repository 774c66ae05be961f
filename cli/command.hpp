#pragma once
// The sub-commands of `pipesplit`. Each takes its own arguments (after the command name) and returns its exit
// status, or throws a failure (core/error.hpp) that main prints as one line and turns into the failure's status.

#include "cli/layer.hpp"
#include "core/error.hpp"
#include "core/provenance.hpp"
#include "scenario/scenario.hpp"
#include "sim/loaded_scenario.hpp"
#include <nlohmann/json.hpp>

#include <boost/program_options.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace pipesplit::cli {

using Args = std::vector<std::string>;

ExitStatus predict_main(const Args& args);
ExitStatus models_main(const Args& args);
ExitStatus chain_main(const Args& args);
ExitStatus solve_main(const Args& args);
ExitStatus pareto_main(const Args& args);
ExitStatus simulate_main(const Args& args);
ExitStatus run_main(const Args& args);
ExitStatus model_main(const Args& args);
ExitStatus calibrate_main(const Args& args);
ExitStatus validate_main(const Args& args);
ExitStatus sweep_main(const Args& args);
ExitStatus sweep_status_main(const Args& args);
ExitStatus plot_main(const Args& args);
ExitStatus profile_main(const Args& args);
ExitStatus exec_main(const Args& args);
ExitStatus trial_main(const Args& args);
ExitStatus worker_main(const Args& args);
ExitStatus compare_main(const Args& args);

// Parse `args` against `options` (plus --help) and one positional SCENARIO when `scenario` is not null; further
// positional arguments go to `more` when it is not null (else they are refused). Returns false when --help was
// printed.
bool parse_command_line(const Args& args, const std::string& usage,
                        boost::program_options::options_description& options, std::string* scenario,
                        boost::program_options::variables_map& values, std::vector<std::string>* more = nullptr);

// `--set PATH=VALUE`, repeatable: scenario values replaced on the command line (analysis/scenario_overrides.hpp).
void add_set_option(boost::program_options::options_description& options, std::vector<std::string>* sets);
LoadedScenario load_scenario_with(const std::string& path, const std::vector<std::string>& sets);

// SimGrid's own options, passed through to the engine of the replay (sim/simgrid_options.hpp): --cfg=ITEM:VALUE
// (repeatable, checked when parsed), --help-cfg and --help-logs (answered by parse_command_line).
void add_simgrid_options(boost::program_options::options_description& options, std::vector<std::string>* items);

// Beside each figure (one per stem of `figures`, the files a plot wrote): STEM.provenance.json, what made it (as
// provenance_json says, with `inputs` the files the figure was drawn from).
void write_figure_provenance(const std::vector<std::string>& figures, const std::string& command, const Args& args,
                             const std::vector<InputFile>& inputs);

// Writes the document to `path`, or to stdout when the path is "-".
void write_json_file(const std::string& path, const nlohmann::json& document);

// Where a command's text for people goes: stdout, unless its output for tools goes there (`--json -`, `-o -`), which
// then has stdout to itself.
std::ostream& text_output(const std::string& tool_output_path);

// The provenance of a command's output as JSON: pipesplit's and SimGrid's versions, `pipesplit COMMAND ARGS...`, and
// every input file of the scenario (and the `extra` ones) with its SHA-256.
nlohmann::json provenance_json(const std::string& command, const Args& args, const Scenario& scenario,
                               const std::vector<InputFile>& extra = {});

// The solver's default time limit on the command line: past it, the best placement found is used, marked not proven.
inline constexpr double default_solve_time_limit_s = 60;

} // namespace pipesplit::cli
