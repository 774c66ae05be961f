#pragma once
// Partitioning works on a chain of blocks. A DAG becomes a chain in one of two ways:
//  - Blocks: cut only where exactly one tensor crosses (the articulation points of the layer order, as the paper
//    does), merging residual / branching regions into one block, so every cut ships one tensor;
//  - Layers: every layer is a block and a cut anywhere in the topological order is allowed; it ships every tensor
//    produced before the cut and consumed after it (model outputs count as consumed by the sink).

#include "core/model.hpp"

#include <map>
#include <string>
#include <vector>

namespace pipesplit::core {

enum class ChainMode { Blocks, Layers };
ChainMode parse_chain_mode(const std::string& text); // throws std::invalid_argument
std::string to_string(ChainMode mode);

struct Block {
  std::string name;       // "first_layer" or "first_layer..last_layer"
  int first_layer    = 0; // indices into Model::layers, inclusive
  int last_layer     = 0;
  double flop        = 0;
  double macs        = 0;
  double param_bytes = 0;
  std::map<std::string, double> flop_by_op; // for per-op-type thread scaling
  // Bytes the block's layers read and write, per op type: each layer's inputs, output and weights (the memory
  // traffic term of a calibrated cost model, cost/compute_model.hpp).
  std::map<std::string, double> bytes_by_op;
  double cut_bytes = 0; // bytes crossing the cut after this block; for the last block, the bytes sent to the sink
  // Measured seconds: profile -> threads -> seconds, present only when every layer of the block was measured.
  std::map<std::string, std::map<int, double>> measured_s;
};

struct Chain {
  std::string model_name;
  ChainMode mode     = ChainMode::Blocks;
  double input_bytes = 0; // bytes the source sends to the first stage
  std::vector<Block> blocks;

  int size() const { return static_cast<int>(blocks.size()); }
  double total_flop() const;
  // Bytes entering block `first` (the model input for block 0).
  double input_bytes_of(int first) const { return first == 0 ? input_bytes : blocks[first - 1].cut_bytes; }
};

Chain build_chain(const Model& model, ChainMode mode);

// Bytes layer `index` reads and writes once each: its inputs' tensors, its output and its weights.
double layer_traffic_bytes(const Model& model, int index);

} // namespace pipesplit::core
