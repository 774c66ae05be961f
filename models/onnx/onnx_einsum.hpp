#pragma once
// Einsum equations ("bhid,bhjd->bhij", with spaces, capitals and "..." as PyTorch writes them): the size of each
// letter and the output's letters, for its shape (ONNX 1.12 infers none when the equation has spaces) and its MACs.

#include "core/model.hpp"
#include "models/layer.hpp"

#include <map>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

struct EinsumAxes {
  std::map<char, int64_t> sizes; // every letter of the inputs
  std::string output;            // the output's letters, '.' for the ellipsis dimensions
  Shape ellipsis;                // the ellipsis dimensions, broadcast over the inputs
  Shape output_shape() const;
  double contracted_size() const; // product of the sizes of the letters the output lacks
};

// Throws std::invalid_argument when the equation does not fit the input shapes.
EinsumAxes parse_einsum(const std::string& equation, const std::vector<Shape>& inputs);

} // namespace pipesplit::models::onnx_import
