// sweep --slurm's submissions, with a stand-in sbatch in PATH that records its arguments: the array and the merge
// job with its dependency, resubmission of the incomplete shards only, the merge alone, nothing once merged, and
// refusals. (The same against a real Slurm: tests/slurm/test_slurm_sweep.sh.)

#include "analysis/sweep_runner.hpp"
#include "analysis/sweep_spec.hpp"
#include "cli/sweep_slurm.hpp"
#include "core/error.hpp"
#include "tests/support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipesplit;
namespace fs = std::filesystem;

namespace {

const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

std::string read_text(const fs::path& path)
{
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// PATH with a fake sbatch first: it appends its arguments (one call per line, tab-separated) to `calls` and prints
// job ids from 101 on, or fails when the file `refuse` exists.
class FakeSbatch {
public:
  explicit FakeSbatch(const fs::path& dir) : dir_(dir), old_path_(std::getenv("PATH"))
  {
    fs::create_directories(dir);
    std::ofstream(dir / "sbatch") << "#!/bin/sh\n"
                                  << "cd '" << dir.string() << "'\n"
                                  << "[ -e refuse ] && { echo 'sbatch: error: invalid partition specified'; exit 1; }\n"
                                  << "n=$(($(cat count 2>/dev/null || echo 100) + 1)); echo $n > count\n"
                                  << "(IFS='\t'; echo \"$*\") >> calls\necho $n\n";
    fs::permissions(dir / "sbatch", fs::perms::owner_all);
    setenv("PATH", (dir.string() + ":" + old_path_).c_str(), 1);
  }
  ~FakeSbatch() { setenv("PATH", old_path_.c_str(), 1); }
  std::vector<std::string> calls() const
  {
    std::vector<std::string> lines;
    std::istringstream in(read_text(dir_ / "calls"));
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }
  void refuse() const { std::ofstream(dir_ / "refuse") << "1"; }

private:
  fs::path dir_;
  std::string old_path_;
};

std::string submit(const analysis::SweepSpec& spec, const fs::path& out, int shards)
{
  cli::SlurmSubmitOptions options;
  options.out_dir = out.string();
  options.shards  = shards;
  std::ostringstream printed;
  cli::submit_sweep_to_slurm(spec, options, printed);
  return printed.str();
}

void run_shard(const analysis::SweepSpec& spec, const fs::path& out, int k, int n)
{
  analysis::SweepRunOptions options;
  options.out_dir = (out / "shards" / std::to_string(k)).string();
  options.shard   = k;
  options.shards  = n;
  options.resume  = true;
  analysis::run_sweep(spec, options);
}

} // namespace

TEST_CASE("sweep --slurm submits the array and a merge that waits for it, then only what is left", "[slurm][sweep]")
{
  const fs::path base = fs::temp_directory_path() / "pipesplit_fake_sbatch";
  fs::remove_all(base);
  const FakeSbatch sbatch(base / "bin");
  const fs::path out  = base / "out";
  const auto spec     = analysis::read_sweep_file(data_dir + "tiny_sweep.yaml");
  const std::string d = out.string();

  // --dry-run: the scripts and the plan, no submission.
  cli::SlurmSubmitOptions dry;
  dry.out_dir = (base / "dry").string();
  dry.shards  = 2;
  dry.dry_run = true;
  dry.options = {"--partition=short"};
  std::ostringstream dry_printed;
  cli::submit_sweep_to_slurm(spec, dry, dry_printed);
  CHECK_THAT(dry_printed.str(), Catch::Contains("not submitted") && Catch::Contains("sbatch --parsable"));
  CHECK_THAT(read_text(base / "dry" / "slurm" / "shards.sbatch"), Catch::Contains("#SBATCH --array=1-2\n") &&
                                                                      Catch::Contains("#SBATCH --partition=short\n") &&
                                                                      Catch::Contains("--shard \"$shard/2\""));
  CHECK_THAT(read_text(base / "dry" / "slurm" / "merge.sbatch"), Catch::Contains("#SBATCH --partition=short\n"));
  CHECK_FALSE(fs::exists(base / "bin" / "calls"));

  const std::string printed = submit(spec, out, 3);
  CHECK_THAT(printed, Catch::Contains("shards: job 101 (array 1-3)") && Catch::Contains("merge:  job 102") &&
                          Catch::Contains("squeue -j 101,102") && Catch::Contains("pipesplit sweep status"));
  CHECK(sbatch.calls() == std::vector<std::string>{"--parsable\t--chdir=" + d + "\t" + d + "/slurm/shards.sbatch",
                                                   "--parsable\t--chdir=" + d +
                                                       "\t--dependency=afterok:101\t--kill-on-invalid-dep=yes\t" + d +
                                                       "/slurm/merge.sbatch"});
  const auto jobs = nlohmann::json::parse(read_text(out / "slurm" / "jobs.json"));
  CHECK(jobs["shards"] == 3);
  CHECK(jobs["shard_points"] == nlohmann::json{3, 3, 3});
  CHECK(jobs["submissions"][0]["array"] == "1-3");

  // Shards 1 and 3 finished (as their tasks would have): only shard 2 is submitted again, with the same count.
  run_shard(spec, out, 1, 3);
  run_shard(spec, out, 3, 3);
  CHECK_THAT(submit(spec, out, 0), Catch::Contains("(2 done already)") && Catch::Contains("(array 2)"));
  CHECK_THAT(read_text(out / "slurm" / "shards.sbatch"), Catch::Contains("#SBATCH --array=2\n"));
  CHECK_THAT(sbatch.calls().at(3), Catch::Contains("--dependency=afterok:103"));

  // Every shard done: the merge alone, at once; once merged, nothing.
  run_shard(spec, out, 2, 3);
  CHECK_THAT(submit(spec, out, 3), Catch::Contains("merge:  job 105 (now)"));
  CHECK(sbatch.calls().back() == "--parsable\t--chdir=" + d + "\t" + d + "/slurm/merge.sbatch");
  analysis::merge_sweeps({d + "/shards/1", d + "/shards/2", d + "/shards/3"}, d);
  CHECK_THAT(submit(spec, out, 3), Catch::Contains("all 3 shards are done and merged"));
  CHECK(sbatch.calls().size() == 5);

  // Another shard count over started shards; a refused submission, with sbatch's words.
  CHECK_THAT(test::error_of([&] { submit(spec, out, 2); }),
             Catch::Contains("shards/1") && Catch::Contains("was run as one of 3 shards, not 2"));
  const fs::path fresh = base / "fresh";
  sbatch.refuse();
  CHECK_THAT(test::error_of([&] { submit(spec, fresh, 2); }), Catch::Contains("invalid partition specified"));
}
