#include "cli/table.hpp"

#include <algorithm>
#include <cctype>

namespace pipesplit::cli {

static bool looks_numeric(const std::string& cell)
{
  return !cell.empty() && (std::isdigit(static_cast<unsigned char>(cell.front())) || cell.front() == '-' ||
                           cell.front() == '+' || cell.front() == '.');
}

void Table::print(std::ostream& out) const
{
  std::vector<size_t> width(header_.size(), 0);
  for (size_t c = 0; c < header_.size(); ++c)
    width[c] = header_[c].size();
  for (const auto& row : rows_)
    for (size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  auto print_row = [&](const std::vector<std::string>& row, bool is_header) {
    std::string line;
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      const std::string pad(width[c] - cell.size(), ' ');
      line += (c ? "  " : "") + ((!is_header && looks_numeric(cell)) ? pad + cell : cell + pad);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out << line << '\n';
  };
  print_row(header_, true);
  std::string rule;
  for (size_t c = 0; c < width.size(); ++c)
    rule += (c ? "  " : "") + std::string(width[c], '-');
  out << rule << '\n';
  for (const auto& row : rows_)
    print_row(row, false);
}

} // namespace pipesplit::cli
