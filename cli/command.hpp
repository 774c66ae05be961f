#pragma once
// The sub-commands of `pipesplit`. Each takes its own arguments (after the command name) and returns its exit
// status, or throws a failure (core/error.hpp) that main prints as one line and turns into the failure's status.

#include "cli/layer.hpp"
#include "core/error.hpp"
#include <nlohmann/json.hpp>

#include <boost/program_options.hpp>

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
ExitStatus plot_main(const Args& args);
ExitStatus profile_main(const Args& args);
ExitStatus exec_main(const Args& args);
ExitStatus trial_main(const Args& args);
ExitStatus worker_main(const Args& args);

// Parse `args` against `options` (plus --help) and one positional SCENARIO when `scenario` is not null.
// Returns false when --help was printed.
bool parse_command_line(const Args& args, const std::string& usage,
                        boost::program_options::options_description& options, std::string* scenario,
                        boost::program_options::variables_map& values);

void write_json_file(const std::string& path, const nlohmann::json& document);

// The solver's default time limit on the command line: past it, the best placement found is used, marked not proven.
inline constexpr double default_solve_time_limit_s = 60;

} // namespace pipesplit::cli
