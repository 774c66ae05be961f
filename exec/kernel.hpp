#pragma once
// One layer made runnable: its oneDNN primitive(s) created for the layer's exact shapes, its random weights drawn
// and put in the layout the primitive prefers, once; run() then only computes.

#include "exec/tensor.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pipesplit::exec {

class LayerKernel {
public:
  virtual ~LayerKernel() = default;
  // `inputs` in the layer's input order; `output` already has the layer's shape.
  virtual void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) = 0;
};

// A oneDNN primitive with its weights (bound once) and the descriptors its inputs and output are read and written
// through, each input under its oneDNN argument id (DNNL_ARG_SRC, DNNL_ARG_MULTIPLE_SRC + i...).
class PrimitiveKernel : public LayerKernel {
public:
  using Sources = std::vector<std::pair<int, dnnl::memory::desc>>;
  PrimitiveKernel(dnnl::primitive primitive, Sources sources, dnnl::memory::desc destination,
                  std::unordered_map<int, dnnl::memory> weights, dnnl::engine& engine);
  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override;

private:
  dnnl::primitive primitive_;
  Sources sources_;
  dnnl::memory::desc destination_;
  std::unordered_map<int, dnnl::memory> weights_;
  dnnl::engine& engine_;
};

std::unique_ptr<LayerKernel> primitive_kernel(dnnl::primitive primitive, PrimitiveKernel::Sources sources,
                                              dnnl::memory::desc destination,
                                              std::unordered_map<int, dnnl::memory> weights, dnnl::engine& engine);

// What a kernel factory gets: the layer, its inputs' shapes, the engine, the seed of the weights.
struct KernelContext {
  const Layer& layer;
  std::vector<Shape> input_shapes;
  dnnl::engine& engine;
  uint64_t seed;
};

// The kernel of `context.layer`; throws InputError naming the layer when its op has no executor, its attributes are
// missing, or its shapes do not fit the op.
std::unique_ptr<LayerKernel> make_kernel(const KernelContext& context);

// The op types that have an executor (for messages and tests).
std::vector<std::string> executable_ops();

// The factories, one per family of ops (kernels_image.cpp, kernels_elementwise.cpp, kernels_binary.cpp,
// kernels_sequence.cpp).
std::unique_ptr<LayerKernel> make_conv(const KernelContext& context);
std::unique_ptr<LayerKernel> make_pool(const KernelContext& context);
std::unique_ptr<LayerKernel> make_batch_norm(const KernelContext& context);
std::unique_ptr<LayerKernel> make_fully_connected(const KernelContext& context); // fc, matmul (linear)
std::unique_ptr<LayerKernel> make_space_to_depth(const KernelContext& context);
std::unique_ptr<LayerKernel> make_eltwise(const KernelContext& context); // activations, sqrt, pow
std::unique_ptr<LayerKernel> make_erf(const KernelContext& context);
std::unique_ptr<LayerKernel> make_reduce_mean(const KernelContext& context);        // kernels_reduction.cpp
std::unique_ptr<LayerKernel> make_activation_product(const KernelContext& context); // matmul of two inputs
std::unique_ptr<LayerKernel> make_range_slice(const KernelContext& context);        // ONNX Slice on one axis
std::unique_ptr<LayerKernel> make_gather(const KernelContext& context);             // kernels_gather.cpp
std::unique_ptr<LayerKernel> make_pad(const KernelContext& context);                // kernels_pad.cpp
std::unique_ptr<LayerKernel> make_sum(const KernelContext& context);                // add of equal shapes
std::unique_ptr<LayerKernel> make_add(const KernelContext& context);                // sum, or binary when it broadcasts
std::unique_ptr<LayerKernel> make_binary(const KernelContext& context); // add, mul, sub, div (numpy broadcasting)
std::unique_ptr<LayerKernel> make_transpose(const KernelContext& context);
std::unique_ptr<LayerKernel> make_lrn(const KernelContext& context);
std::unique_ptr<LayerKernel> make_concat(const KernelContext& context);
std::unique_ptr<LayerKernel> make_copy(const KernelContext& context); // flatten and shape-only reshapes
std::unique_ptr<LayerKernel> make_softmax(const KernelContext& context);
std::unique_ptr<LayerKernel> make_layer_norm(const KernelContext& context);
std::unique_ptr<LayerKernel> make_attention(const KernelContext& context);
std::unique_ptr<LayerKernel> make_embedding(const KernelContext& context);
std::unique_ptr<LayerKernel> make_to_tokens(const KernelContext& context);
std::unique_ptr<LayerKernel> make_select_token(const KernelContext& context);

// `rows` (a kernel on row-major [A, B, D] tensors) run on the channels-last [A, B, D] tensors of `c`
// (kernels_rows.cpp).
std::unique_ptr<LayerKernel> row_major(std::unique_ptr<LayerKernel> rows, const KernelContext& c);

// Shared by the factories.
[[noreturn]] void refuse(const Layer& layer, const std::string& why); // InputError naming the layer
dnnl::memory::desc plain_desc(const dnnl::memory::dims& dims);        // row-major float32
dnnl::memory::dims with_batch(const Shape& shape);                    // {1, shape...}
// How a tensor of `shape` lies in memory: [C, H, W] maps channels-last (NHWC: oneDNN's fast kernels, depthwise
// convolutions in particular, take it without reorders), other ranks row-major; batch 1 prepended.
dnnl::memory::desc activation_desc(const Shape& shape);
dnnl::memory wrap(const dnnl::memory::desc& desc, dnnl::engine& engine, const float* data);
// Weights drawn for `layer` (named `part`), uniform in [-bound, bound), in the layout `wanted` (reordered once).
dnnl::memory random_weights(const KernelContext& context, const std::string& part, const dnnl::memory::desc& plain,
                            const dnnl::memory::desc& wanted, float low, float high);

} // namespace pipesplit::exec
