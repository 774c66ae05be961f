#include "models/onnx/onnx_einsum.hpp"
#include "models/onnx/onnx_folding_elementwise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace pipesplit::models::onnx_import {

static bool is_letter(char c)
{
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

static std::vector<std::string> split_terms(const std::string& text)
{
  std::vector<std::string> terms(1);
  for (char c : text) {
    if (c == ',')
      terms.emplace_back();
    else if (c != ' ')
      terms.back() += c;
  }
  return terms;
}

EinsumAxes parse_einsum(const std::string& equation, const std::vector<Shape>& inputs)
{
  const auto arrow = equation.find("->");
  const auto terms = split_terms(equation.substr(0, arrow));
  if (terms.size() != inputs.size())
    throw std::invalid_argument(
        fmt::format("equation '{}' has {} operands, the node {}", equation, terms.size(), inputs.size()));
  EinsumAxes axes;
  std::string letters; // every occurrence, for the implicit output
  for (size_t k = 0; k < terms.size(); ++k) {
    const std::string& term = terms[k];
    const auto named        = static_cast<size_t>(std::count_if(term.begin(), term.end(), is_letter));
    const bool has_ellipsis = term.find("...") != std::string::npos;
    if (named > inputs[k].size() || (!has_ellipsis && named != inputs[k].size()))
      throw std::invalid_argument(
          fmt::format("term '{}' of '{}' does not fit an input of rank {}", term, equation, inputs[k].size()));
    const size_t covered = inputs[k].size() - named; // dimensions the ellipsis stands for
    size_t axis          = 0;
    for (size_t i = 0; i < term.size(); ++i) {
      if (term[i] == '.') {
        axes.ellipsis = broadcast_shape(axes.ellipsis, Shape(inputs[k].begin() + static_cast<int64_t>(axis),
                                                             inputs[k].begin() + static_cast<int64_t>(axis + covered)));
        axis += covered;
        i += 2;
      } else if (is_letter(term[i])) {
        const int64_t size = inputs[k][axis++];
        auto& known        = axes.sizes[term[i]];
        known              = std::max(known, size); // a size 1 broadcasts
        letters += term[i];
      }
    }
  }
  if (arrow != std::string::npos) {
    for (char c : equation.substr(arrow + 2))
      if (is_letter(c) || c == '.')
        axes.output += c;
  } else { // implicit: the ellipsis, then the letters that appear once, in alphabetical order
    axes.output = axes.ellipsis.empty() ? "" : "...";
    for (const auto& [c, size] : axes.sizes)
      if (std::count(letters.begin(), letters.end(), c) == 1)
        axes.output += c;
  }
  for (char c : axes.output)
    if (is_letter(c) && !axes.sizes.count(c))
      throw std::invalid_argument(fmt::format("output letter '{}' of '{}' is in no input", c, equation));
  return axes;
}

Shape EinsumAxes::output_shape() const
{
  Shape shape;
  for (size_t i = 0; i < output.size(); ++i) {
    if (output[i] == '.') {
      shape.insert(shape.end(), ellipsis.begin(), ellipsis.end());
      i += 2;
    } else {
      shape.push_back(sizes.at(output[i]));
    }
  }
  return shape;
}

double EinsumAxes::contracted_size() const
{
  double size = 1;
  for (const auto& [c, n] : sizes)
    size *= output.find(c) == std::string::npos ? static_cast<double>(n) : 1.0;
  return size;
}

} // namespace pipesplit::models::onnx_import
