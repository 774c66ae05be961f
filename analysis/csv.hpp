#pragma once
// CSV lines as RFC 4180 writes them: fields with a comma, quote or newline are quoted, quotes doubled.

#include "analysis/layer.hpp"
#include <string>
#include <vector>

namespace pipesplit::analysis {

std::string csv_line(const std::vector<std::string>& fields); // no trailing newline
std::vector<std::string> parse_csv_line(const std::string& line);

} // namespace pipesplit::analysis
