#include "analysis/gnuplot.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

namespace pipesplit::analysis {

void run_gnuplot(const std::string& script)
{
  const std::string command = "gnuplot '" + script + "' 2>&1";
  FILE* pipe                = popen(command.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("cannot run gnuplot (install gnuplot-nox)");
  std::string output;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe))
    output += buffer.data();
  const int status = pclose(pipe);
  if (status != 0)
    throw std::runtime_error("gnuplot failed on " + script + (output.empty() ? "" : ": " + output));
}

std::string gnuplot_string(const std::string& text)
{
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

} // namespace pipesplit::analysis
