#include "sim/child_process.hpp"

#include <sstream>

namespace pipesplit::sim {

ChildResult run_in_child(const std::function<std::string()>& work)
{
  ChildResult result;
  WorkerPool child(1, [&work](int, const WorkerPool::Emit& emit) { emit(work()); });
  result.exit = child.wait([&result](int, const std::string& message) { result.payload = message; }).front();
  return result;
}

std::string simgrid_complaint(const std::string& diagnostics)
{
  std::istringstream lines(diagnostics);
  std::string line;
  std::string complaint;
  while (std::getline(lines, line)) {
    if (line.find("Backtrace") != std::string::npos || line.find("->") != std::string::npos ||
        line.find("Exiting now") != std::string::npos)
      continue;
    // "[0.000000] ./src/file.cpp:12: [category/LEVEL] text": keep the text
    const auto level       = line.find("] ", line.find("] ") + 1);
    const std::string text = level == std::string::npos ? line : line.substr(level + 2);
    if (!text.empty())
      complaint += (complaint.empty() ? "" : "; ") + text;
  }
  return complaint.empty() ? "no message" : complaint;
}

} // namespace pipesplit::sim
