#include "analysis/slurm_scripts.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace pipesplit::analysis {

namespace {

// Options pipesplit writes itself: given again they would break the shards' numbering, the logs or the merge.
const char* const reserved_options[] = {
    "--array", "-a", "--output", "-o",         "--error",     "-e",      "--dependency", "-d",
    "--chdir", "-D", "--wrap",   "--parsable", "--open-mode", "--input", "-i",           "--kill-on-invalid-dep"};

std::string header(const SlurmSweep& sweep, const std::string& what, const std::string& name, const std::string& log)
{
  std::string text = fmt::format("#!/bin/sh\n"
                                 "# {} of the sweep {}, written by pipesplit {} (sweep --slurm).\n"
                                 "# Runs in the sweep's folder: sbatch --chdir=DIR. Paths below are single-quoted.\n"
                                 "#SBATCH --job-name={}\n"
                                 "#SBATCH --output={}\n",
                                 what, job_name(sweep.name), tool_version, name, log);
  for (const auto& option : sweep.options)
    text += "#SBATCH " + option + "\n";
  return text + "set -eu\n";
}

} // namespace

std::string shell_quote(const std::string& text)
{
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void check_slurm_option(const std::string& option)
{
  auto refuse = [&](const std::string& why) {
    throw InputError("command line", "--slurm-option", fmt::format("'{}' {}", option, why));
  };
  if (option.size() < 2 || option[0] != '-')
    refuse("is not an sbatch option (e.g. --partition=short, --time=2:00:00)");
  for (unsigned char c : option)
    if (std::iscntrl(c) || std::isspace(c))
      refuse("holds a space or control character: give one option word per --slurm-option");
  const std::string name = option.substr(0, option.find('='));
  for (const char* reserved : reserved_options)
    if (name == reserved || (name.size() > 2 && name[1] != '-' && name.substr(0, 2) == reserved))
      refuse(fmt::format("sets what pipesplit writes itself ({})", reserved));
}

std::string array_ranges(const std::vector<int>& shards)
{
  std::string text;
  for (size_t i = 0; i < shards.size();) {
    size_t j = i;
    while (j + 1 < shards.size() && shards[j + 1] == shards[j] + 1)
      ++j;
    text +=
        (text.empty() ? "" : ",") + (j == i ? std::to_string(shards[i]) : fmt::format("{}-{}", shards[i], shards[j]));
    i = j + 1;
  }
  return text;
}

std::vector<int> array_shards(const std::string& ranges)
{
  std::vector<int> shards;
  size_t start = 0;
  while (start <= ranges.size()) {
    const size_t end        = std::min(ranges.find(',', start), ranges.size());
    const std::string range = ranges.substr(start, end - start);
    const size_t dash       = range.find('-');
    const int first         = std::stoi(range.substr(0, dash));
    const int last          = dash == std::string::npos ? first : std::stoi(range.substr(dash + 1));
    for (int k = first; k <= last; ++k)
      shards.push_back(k);
    start = end + 1;
  }
  return shards;
}

std::string job_name(const std::string& name)
{
  std::string out = name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      c = '_';
  return out.empty() ? "sweep" : out;
}

std::string shards_script(const SlurmSweep& sweep)
{
  std::string text = header(sweep, fmt::format("Shards (array tasks) of {}", sweep.shards),
                            "pipesplit-" + job_name(sweep.name), "slurm/shard-%a.log");
  text.insert(text.find("#SBATCH --output"), "#SBATCH --array=" + array_ranges(sweep.array) + "\n");
  text += fmt::format("shard=\"$SLURM_ARRAY_TASK_ID\"\n"
                      "exec {} sweep {} --out {}\"$shard\" --shard \"$shard/{}\" --resume --jobs "
                      "\"${{SLURM_CPUS_PER_TASK:-1}}\"",
                      shell_quote(sweep.binary), shell_quote(sweep.sweep_file), shell_quote(sweep.out_dir + "/shards/"),
                      sweep.shards);
  for (const auto& item : sweep.cfg)
    text += " --cfg " + shell_quote(item);
  return text + "\n";
}

std::string merge_script(const SlurmSweep& sweep)
{
  std::string text = header(sweep, "The merge", "pipesplit-" + job_name(sweep.name) + "-merge", "slurm/merge.log");
  text += "exec " + shell_quote(sweep.binary) + " sweep merge";
  for (int k = 1; k <= sweep.shards; ++k)
    text += " " + shell_quote(fmt::format("{}/shards/{}", sweep.out_dir, k));
  return text + " -o " + shell_quote(sweep.out_dir) + "\n";
}

} // namespace pipesplit::analysis
