#pragma once
// The sub-commands of `pipesplit`. Each takes its own arguments (after the command name) and returns the exit code:
// 0 success, 2 bad input (InputError, printed by main), 3 a simulation that did not deliver every result,
// 4 no placement meets the constraints.

#include <nlohmann/json.hpp>

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace pipesplit::cli {

using Args = std::vector<std::string>;

int run_predict(const Args& args);
int run_models(const Args& args);
int run_chain(const Args& args);
int run_solve(const Args& args);
int run_simulate(const Args& args);
int run_run(const Args& args);
int run_model(const Args& args);
int run_calibrate(const Args& args);
int run_validate(const Args& args);
int run_sweep(const Args& args);
int run_plot(const Args& args);

// Parse `args` against `options` (plus --help) and one positional SCENARIO when `scenario` is not null.
// Returns false when --help was printed.
bool parse_command_line(const Args& args, const std::string& usage,
                        boost::program_options::options_description& options, std::string* scenario,
                        boost::program_options::variables_map& values);

void write_json_file(const std::string& path, const nlohmann::json& document);

// The solver's default time limit on the command line: past it, the best placement found is used, marked not proven.
inline constexpr double default_solve_time_limit_s = 60;

} // namespace pipesplit::cli
