// Every command and subcommand answers --help on its own (exit 0, its usage on stdout), also those with required
// options; --version names pipesplit's version and revision and SimGrid's.

#include "tests/support/run_command.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using pipesplit::test::run_command;

namespace {

// The command names of `pipesplit --help`: the words starting the lines after "Commands:".
std::vector<std::string> listed_commands()
{
  const auto help = run_command({PIPESPLIT_BINARY, "--help"});
  REQUIRE(help.exit_code == 0);
  std::istringstream lines(help.out.substr(help.out.find("Commands:")));
  std::vector<std::string> names;
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    if (words >> name)
      names.push_back(name);
  }
  return names;
}

} // namespace

TEST_CASE("help works on every command and subcommand", "[cli][help]")
{
  std::vector<std::string> commands = listed_commands();
  CHECK(commands.size() >= 15);
  for (const char* subcommand : {"model import", "model profile", "sweep merge"})
    commands.push_back(subcommand);
  for (const auto& command : commands) {
    INFO(command);
    std::vector<std::string> arguments = {PIPESPLIT_BINARY};
    std::istringstream words(command);
    for (std::string word; words >> word;)
      arguments.push_back(word);
    arguments.push_back("--help");
    const auto help = run_command(arguments);
    CHECK(help.exit_code == 0);
    CHECK(help.err.empty());
    CHECK_THAT(help.out, Catch::StartsWith("Usage: pipesplit " + command));
  }
}

TEST_CASE("the version names pipesplit's version and revision, and SimGrid's", "[cli][help]")
{
  const auto version = run_command({PIPESPLIT_BINARY, "--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(
      version.out,
      Catch::Matches("pipesplit \\d+\\.\\d+\\.\\d+ \\((?:[0-9a-f]+(?:-dirty)?|unknown)\\)\nSimGrid 3\\.32\\.\\d+\n"));
}
