#include "sim/child_process.hpp"

#include <sstream>

namespace pipesplit::sim {

ChildResult run_in_child(const std::function<std::string(const Progress& progress)>& work, const Progress& on_progress)
{
  // Messages: 'P' and a progress note, then 'R' and the result.
  ChildResult result;
  WorkerPool child(1, [&work](int, const WorkerPool::Emit& emit) {
    emit("R" + work([&emit](const std::string& note) { emit("P" + note); }));
  });
  result.exit = child
                    .wait([&](int, const std::string& message) {
                      if (message.rfind('P', 0) == 0 && on_progress)
                        on_progress(message.substr(1));
                      else if (message.rfind('R', 0) == 0)
                        result.payload = message.substr(1);
                    })
                    .front();
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
