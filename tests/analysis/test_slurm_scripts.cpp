// The Slurm batch scripts: paths reach pipesplit byte for byte whatever they hold (the scripts are run by /bin/sh
// here, with a stand-in for pipesplit that records its arguments), options are checked, arrays written compactly.

#include "analysis/slurm_scripts.hpp"
#include "core/error.hpp"

#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

using namespace pipesplit;
using namespace pipesplit::analysis;
namespace fs = std::filesystem;

namespace {

// Runs `sh script` with SLURM_ARRAY_TASK_ID set; returns the arguments the stand-in binary received.
std::vector<std::string> run_script(const fs::path& script, const fs::path& record, const std::string& task)
{
  std::vector<std::string> env_text{"SLURM_ARRAY_TASK_ID=" + task, "RECORD=" + record.string(), "PATH=/usr/bin:/bin"};
  std::vector<char*> env, argv;
  for (auto& e : env_text)
    env.push_back(e.data());
  env.push_back(nullptr);
  std::string sh = "/bin/sh", path = script.string();
  argv      = {sh.data(), path.data(), nullptr};
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), env.data()) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  std::ifstream in(record, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (size_t start = 0, end; (end = text.find('\0', start)) != std::string::npos; start = end + 1)
    args.push_back(text.substr(start, end - start));
  return args;
}

} // namespace

TEST_CASE("batch scripts pass hostile paths as data, never as shell code", "[slurm][sweep]")
{
  const fs::path base = fs::temp_directory_path() / "pipesplit_slurm_quoting";
  fs::remove_all(base);
  // Quotes, $(...), backticks, a variable, a glob, a semicolon and a newline: each would run or split if unquoted.
  const fs::path dir = base / "we'ird \"dir\" $(touch PWNED) `touch PWNED2` $HOME *;x\nline";
  fs::create_directories(dir);
  const fs::path binary = dir / "fake pipesplit";
  std::ofstream(binary) << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$RECORD\"\n";
  fs::permissions(binary, fs::perms::owner_all);
  SlurmSweep sweep{"tiny sweep",
                   binary.string(),
                   (dir / "s'w.yaml").string(),
                   dir.string(),
                   3,
                   {1, 2, 3},
                   {"--partition=short", "--time=0:10:00"},
                   {"network/bandwidth-factor:0.5", "network/x:';touch PWNED3'"}};
  std::ofstream(dir / "shards.sbatch") << shards_script(sweep);
  std::ofstream(dir / "merge.sbatch") << merge_script(sweep);
  const fs::path record = base / "record";

  CHECK(run_script(dir / "shards.sbatch", record, "2") ==
        std::vector<std::string>{"sweep", sweep.sweep_file, "--out", dir.string() + "/shards/2", "--shard", "2/3",
                                 "--resume", "--jobs", "1", "--cfg", "network/bandwidth-factor:0.5", "--cfg",
                                 "network/x:';touch PWNED3'"});
  CHECK(run_script(dir / "merge.sbatch", record, "") ==
        std::vector<std::string>{"sweep", "merge", dir.string() + "/shards/1", dir.string() + "/shards/2",
                                 dir.string() + "/shards/3", "-o", dir.string()});
  CHECK_FALSE(fs::exists("PWNED"));
  CHECK_FALSE(fs::exists(dir / "PWNED"));
  CHECK_FALSE(fs::exists("PWNED2"));
  CHECK_FALSE(fs::exists(dir / "PWNED2"));
  CHECK_FALSE(fs::exists("PWNED3"));
}

TEST_CASE("batch scripts: directives name no path, carry the user's options and the array", "[slurm][sweep]")
{
  SlurmSweep sweep{"pi4 four",
                   "/opt/p/pipesplit",
                   "/s/sweep.yaml",
                   "/out dir",
                   8,
                   {2, 3, 4, 7},
                   {"--partition=short", "--cpus-per-task=4"}};
  const std::string shards = shards_script(sweep);
  CHECK_THAT(shards, Catch::StartsWith("#!/bin/sh\n"));
  CHECK_THAT(shards, Catch::Contains("#SBATCH --job-name=pipesplit-pi4_four\n#SBATCH --array=2-4,7\n"
                                     "#SBATCH --output=slurm/shard-%a.log\n#SBATCH --partition=short\n"
                                     "#SBATCH --cpus-per-task=4\nset -eu\n"));
  CHECK_THAT(shards, Catch::Contains("--shard \"$shard/8\" --resume --jobs \"${SLURM_CPUS_PER_TASK:-1}\""));
  const std::string merge = merge_script(sweep);
  CHECK_THAT(merge, Catch::Contains("#SBATCH --job-name=pipesplit-pi4_four-merge\n#SBATCH --output=slurm/merge.log\n"));
  CHECK_THAT(merge, Catch::EndsWith("'/out dir/shards/8' -o '/out dir'\n"));
  for (const std::string& script : {shards, merge}) { // no directive carries a path
    std::istringstream lines(script);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("#SBATCH", 0) == 0)
        CHECK(line.find("/out dir") == std::string::npos);
  }
}

TEST_CASE("slurm options, arrays and names", "[slurm][sweep]")
{
  CHECK(shell_quote("a'b") == "'a'\\''b'");
  CHECK(array_ranges({1, 2, 3, 4}) == "1-4");
  CHECK(array_ranges({2, 5, 6, 7, 9}) == "2,5-7,9");
  CHECK(array_ranges({3}) == "3");
  CHECK(array_shards("2,5-7,9") == std::vector<int>{2, 5, 6, 7, 9});
  CHECK(array_shards(array_ranges({1, 2, 3, 8})) == std::vector<int>{1, 2, 3, 8});
  CHECK(job_name("a b/c$d") == "a_b_c_d");
  CHECK_NOTHROW(check_slurm_option("--partition=short"));
  CHECK_NOTHROW(check_slurm_option("-pshort"));
  CHECK_NOTHROW(check_slurm_option("--exclusive"));
  auto error_of = [](const std::string& option) {
    try {
      check_slurm_option(option);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("--time=1:00\nrm -rf ~"), Catch::Contains("control character"));
  CHECK_THAT(error_of("--comment=two words"), Catch::Contains("one option word"));
  CHECK_THAT(error_of("partition=short"), Catch::Contains("not an sbatch option"));
  CHECK_THAT(error_of("--array=1-100"), Catch::Contains("pipesplit writes itself"));
  CHECK_THAT(error_of("--output=/tmp/x"), Catch::Contains("--output"));
  CHECK_THAT(error_of("-d afterok:1"), Catch::Contains("one option word"));
  CHECK_THAT(error_of("-dafterok:1"), Catch::Contains("pipesplit writes itself"));
}
