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

// What running a layer for real needs beyond its shapes (the executor, exec/). Absent (`present` false) for a layer
// described by its figures only: such a model predicts, solves and simulates, but is refused for execution. Which
// fields an op reads: conv (kernel, strides, pads, dilations, groups, bias), maxpool / avgpool (kernel, strides, pads,
// count_include_pad; an avgpool without kernel is PyTorch's adaptive pooling to its output shape), fc / matmul (bias),
// bn / layernorm (epsilon), leaky_relu (alpha), concat / softmax (axis, counted without the batch), attention (heads),
// embedding (rows of its table: a lookup of token ids when the input is [T], else a [rows, D] table added to a [T, D]
// input: rows 0..T-1, positions, or row 0 for every token when rows < T, one segment), reshape from [C, H, W] to tokens
// (extra_tokens prepended), slice (index of the token kept from [T, D]; or, with an output of the input's rank, the
// first element kept along axis: ONNX's Slice of a range), lrn (size, alpha, beta, k: b = a / (k + alpha / size x the
// sum of a^2 over `size` neighbouring channels)^beta, as ONNX and Krizhevsky et al. define it), transpose (perm,
// without the batch axis), add / mul / sub / div (operand_shape: the shape of a constant operand, aligned to the
// output's rank, 1 on the axes it is broadcast along; empty when every operand is a layer's output; sub's and div's
// constant is their second operand), pow (beta: the constant exponent), reducemean (axis: the first of the trailing
// axes averaged; the output keeps them as 1 or drops them), sqrt and erf (none), slice (also step: every step-th
// element from index on, negative backwards), concat (a constant operand: operand_shape, index its position among
// the inputs), gather (axis of the data; index: a constant index, else the layer's last input holds them; rows and
// operand_shape: a constant table gathered from, the layer's input being the indices), pad (pad_begin and pad_end
// per axis, mode constant / reflect / edge, value the constant's), transpose (perm -1: a new axis of size 1).
struct OpAttributes {
  bool present = false;
  std::vector<int64_t> kernel;    // [height, width]
  std::vector<int64_t> strides;   // [height, width]
  std::vector<int64_t> pads;      // [top, left, bottom, right]; the bottom and right ones include a ceil mode's
  std::vector<int64_t> dilations; // [height, width]; 1 = dense
  int64_t groups         = 1;
  bool bias              = false;
  bool count_include_pad = true; // average pooling divides by the window's padded size (PyTorch's default)
  double epsilon         = 1e-5;
  double alpha           = 0;
  int64_t axis           = 0;
  int64_t heads          = 0;
  int64_t rows           = 0;
  int64_t extra_tokens   = 0;
  int64_t index          = 0;
  int64_t size           = 0;
  double beta            = 0;
  double k               = 0;
  std::vector<int64_t> perm;          // output axis i is input axis perm[i]
  std::vector<int64_t> operand_shape; // a constant operand's shape (broadcast: 1)
  int64_t step = 1;                   // slice
  std::vector<int64_t> pad_begin;     // pad: elements added before each axis
  std::vector<int64_t> pad_end;       // pad: elements added after each axis
  std::string mode;                   // pad: constant, reflect, edge (ONNX's names)
  double value = 0;                   // pad: the constant mode's value

  bool operator==(const OpAttributes&) const = default;
};

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
  OpAttributes attributes;
  // Empty for a layer with one output tensor; otherwise its tensors, whose bytes sum to output_bytes, so that a cut
  // ships only the parts read after it.
  std::vector<OutputPart> output_parts;
};

// Measured seconds of one layer on one device (type) with a thread count; `seconds` is the mean over `repeats`
// (the median, for `pipesplit profile`), `spread_s` the interquartile range of the repeats when known (0: unknown).
struct LayerMeasurement {
  std::string layer;
  int threads     = 1;
  double seconds  = 0;
  int repeats     = 1;
  double spread_s = 0;
};

// Where a profile was measured (`pipesplit profile` records it): the machine, the library, and the whole model's
// own time per thread count (median over the repeats), against which the sum of the layers can be checked.
struct ProfileMachine {
  std::string cpu;
  int cores = 0;
  std::string library;
  std::map<int, double> whole_seconds; // threads -> seconds
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
  std::map<std::string, ProfileMachine> profile_machines;        // profile name -> where it was measured

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
