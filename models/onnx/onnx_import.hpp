#pragma once
// ONNX import: a pipesplit Model from an .onnx file. Shape and constant propagation (batch 1) gives every tensor's
// shape; the FLOP, parameters and tensor sizes of each layer follow from those shapes with the conventions of
// ModelBuilder (solver/model_builder.cpp), so an imported network and its zoo description agree.

#include "core/model.hpp"
#include "models/layer.hpp"

#include <functional>
#include <map>
#include <string>

namespace pipesplit::models {

// One layer per ONNX node that depends on the model input; nodes that only compute constants (weights made by
// ConstantOfShape, shape arithmetic such as Shape -> Gather -> Concat) fold away, and the weights they make count
// as parameters of the layer that consumes them; constants with one element, integers and booleans (scalars of GELU
// or attention, indices, masks) are not parameters. dtype_bytes is the activations' element size (the graph
// output's), not a token-id input's. A node with several outputs (Split) gives its first output's
// shape, and output_bytes counts every output that a later node or the graph reads. Throws InputError (naming the
// file and, where one is to blame, the node) for a file that is not ONNX, an op with no FLOP rule, or a tensor
// whose shape inference left dimensions unknown.
// `input_shapes` (model input name -> shape, batch included) fixes the dimensions the export left symbolic (a text
// model's sequence length, an image size), so that one export serves several sizes.
// Weights in side files (ONNX external data, as exports over 2 GB have them) are checked, never read
// (onnx_external_data.hpp): their dimensions are all the figures need.
using InputShapes = std::map<std::string, Shape>;

// Where an import is, for a progress line: step "reading" (done and total in bytes), "shapes" (the propagation; 0 of
// 1, then 1 of 1) and "layers" (nodes walked, of the graph's).
struct ImportProgress {
  std::string step;
  double done = 0, total = 0;
};
using ImportObserver = std::function<void(const ImportProgress&)>;

Model import_onnx(const std::string& path, const InputShapes& input_shapes = {}, const ImportObserver& observe = {});

} // namespace pipesplit::models
