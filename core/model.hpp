#pragma once
// A DNN as a DAG of layers, in topological order. Units: FLOP counts floating-point operations with one
// multiply-accumulate = 2 FLOP (`macs` keeps the multiply-accumulate count of conv / fc / matmul layers on its own,
// since published figures are usually MAC); bytes are bytes. Batch size is 1 and shapes omit it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipesplit::core {

using Shape = std::vector<int64_t>;

int64_t element_count(const Shape& shape);
std::string shape_to_string(const Shape& shape); // "[64, 112, 112]"

// One of several output tensors of a layer (an ONNX Split whose parts are read at different places): its bytes and
// the layers that read it; no reader means the model output (the sink) reads it.
struct OutputPart {
  double bytes = 0;
  std::vector<std::string> readers;
};

struct Layer {
  std::string name;
  std::string op;                  // conv, fc, matmul, bn, relu, add, concat, pool, ... (see README)
  std::vector<std::string> inputs; // names of producing layers, or the model input's name
  double macs        = 0;          // multiply-accumulates (conv, fc, matmul); 0 for other ops
  double flop        = 0;          // FLOP = 2 x macs + element-wise work
  double params      = 0;          // number of weights
  double param_bytes = 0;          // bytes of weights
  Shape output_shape;
  double output_bytes = 0;
  // Empty for a layer with one output tensor; otherwise its tensors, whose bytes sum to output_bytes, so that a cut
  // ships only the parts read after it.
  std::vector<OutputPart> output_parts;
};

// Measured seconds of one layer on one device (type) with a thread count; `seconds` is the mean over `repeats`.
struct LayerMeasurement {
  std::string layer;
  int threads    = 1;
  double seconds = 0;
  int repeats    = 1;
};

struct Model {
  std::string name;
  std::string source; // file or "zoo:<name>", for messages
  std::string input_name = "input";
  Shape input_shape;
  double input_bytes = 0;
  double dtype_bytes = 4; // bytes per activation element
  std::vector<Layer> layers;
  std::map<std::string, std::vector<LayerMeasurement>> profiles; // profile name -> measurements

  double total_macs() const;
  double total_flop() const;
  double total_params() const;
  double total_param_bytes() const;
  int layer_index(const std::string& name) const; // -1 if absent
  double output_bytes() const;                    // bytes of the final layer's output

  // Check names unique, inputs known and earlier in the list, figures finite and >= 0. Throws InputError.
  void validate() const;

private:
  void validate_output_parts(const std::string& where) const;
};

} // namespace pipesplit::core
