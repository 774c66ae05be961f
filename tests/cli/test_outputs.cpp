// Outputs for tools: `--json -` gives stdout to the JSON alone (the table goes to stderr), and every JSON output
// records what made it: pipesplit's and SimGrid's versions, the command line, and each input file's SHA-256 (checked
// against coreutils' sha256sum).

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

using pipesplit::test::run_command;

namespace {

const std::string data_dir = std::string(PIPESPLIT_SOURCE_DIR) + "/tests/data/";

std::string sha256sum(const std::string& path)
{
  const auto digest = run_command({"/usr/bin/sha256sum", path});
  REQUIRE(digest.exit_code == 0);
  return digest.out.substr(0, 64);
}

void check_provenance(const nlohmann::json& provenance, const std::vector<std::string>& command_line)
{
  CHECK(provenance.at("versions").at("simgrid") == "3.32.0");
  CHECK_THAT(provenance.at("versions").at("pipesplit").get<std::string>(), Catch::StartsWith("0."));
  CHECK(provenance.at("command_line") == command_line);
  std::map<std::string, std::string> digests;
  for (const auto& input : provenance.at("inputs"))
    digests[input.at("role")] = input.at("sha256");
  CHECK(digests.at("scenario") == sha256sum(data_dir + "tiny.yaml"));
  CHECK(digests.at("platform") == sha256sum(data_dir + "two_boards.xml"));
  CHECK(digests.at("model") == sha256sum(data_dir + "tiny_model.yaml"));
}

} // namespace

TEST_CASE("json to stdout: writes the JSON alone on stdout, the table on stderr, and no file named -", "[cli][outputs]")
{
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  for (const std::string command : {"solve", "predict", "simulate", "chain"}) {
    INFO(command);
    std::vector<std::string> arguments = {PIPESPLIT_BINARY, command, data_dir + "tiny.yaml", "--json", "-"};
    if (command == "predict")
      arguments.insert(arguments.end(), {"--placement", "a:0-1,b:2"});
    const auto result = run_command(arguments);
    CHECK(result.exit_code == 0);
    const auto document = nlohmann::json::parse(result.out); // throws if anything else is on stdout
    CHECK_FALSE(result.err.empty());                         // the table
    arguments[0] = "pipesplit";
    check_provenance(document.at("provenance"), arguments);
    CHECK_FALSE(std::filesystem::exists("-"));
  }
  std::filesystem::current_path(cwd);
}

TEST_CASE("run's result.json records its provenance", "[cli][outputs]")
{
  const auto out = std::filesystem::temp_directory_path() / "pipesplit_outputs_run";
  std::filesystem::remove_all(out);
  const auto result = run_command({PIPESPLIT_BINARY, "run", data_dir + "tiny.yaml", "--out", out.string()});
  REQUIRE(result.exit_code == 0);
  std::ifstream file(out / "result.json");
  const auto document = nlohmann::json::parse(file);
  check_provenance(document.at("provenance"), {"pipesplit", "run", data_dir + "tiny.yaml", "--out", out.string()});
  std::filesystem::remove_all(out);
}

TEST_CASE("model import -o - writes the model file on stdout, checked as a file would be", "[cli][outputs]")
{
  const std::string onnx = std::string(PIPESPLIT_SHARED_DATA_DIR) + "/onnx-light/light_squeezenet.onnx";
  if (!std::filesystem::exists(onnx)) {
    WARN("skipped: " << onnx << " is absent");
    return;
  }
  const auto result = run_command({PIPESPLIT_BINARY, "model", "import", onnx, "-o", "-"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("# pipesplit model") && Catch::Contains("format: pipesplit-model/1"));
  CHECK_THAT(result.err, Catch::Contains("wrote -"));
}

TEST_CASE("a figure records what it was drawn from beside it (STEM.provenance.json)", "[cli][outputs]")
{
  const auto dir = std::filesystem::temp_directory_path() / "pipesplit_outputs_plot";
  std::filesystem::remove_all(dir);
  REQUIRE(run_command({PIPESPLIT_BINARY, "sweep", data_dir + "tiny_sweep.yaml", "--out", (dir / "sweep").string()})
              .exit_code == 0);
  const std::string stem = (dir / "figure").string();
  const auto plot        = run_command({PIPESPLIT_BINARY, "plot", (dir / "sweep").string(), "-o", stem});
  REQUIRE(plot.exit_code == 0);
  std::ifstream file(stem + ".provenance.json");
  REQUIRE(file.good());
  const auto provenance = nlohmann::json::parse(file);
  CHECK(provenance.at("command_line") ==
        std::vector<std::string>{"pipesplit", "plot", (dir / "sweep").string(), "-o", stem});
  CHECK(provenance.at("versions").at("simgrid") == "3.32.0");
  std::map<std::string, std::string> digests;
  for (const auto& input : provenance.at("inputs"))
    digests[input.at("role")] = input.at("sha256");
  CHECK(digests.at("sweep results") == sha256sum((dir / "sweep" / "results.csv").string()));
  CHECK(digests.at("sweep provenance") == sha256sum((dir / "sweep" / "provenance.json").string()));
  std::filesystem::remove_all(dir);
}
