// MatMul of two activations (attention's Q K^T and its weights times V): oneDNN's matmul with both sources as inputs,
// each in its tensor's own layout (channels-last for [H, T, D]: the primitive reads any strides), the batch axes
// broadcast where an operand has 1.

#include "exec/kernel.hpp"

#include <fmt/format.h>

namespace pipesplit::exec {

using dnnl::memory;

std::unique_ptr<LayerKernel> make_activation_product(const KernelContext& c)
{
  const Shape& a    = c.input_shapes[0];
  const Shape& b    = c.input_shapes[1];
  const Shape& out  = c.layer.output_shape;
  const size_t rank = out.size();
  bool fits         = rank >= 2 && a.size() == rank && b.size() == rank && a[rank - 1] == b[rank - 2] &&
              out[rank - 2] == a[rank - 2] && out[rank - 1] == b[rank - 1];
  for (size_t i = 0; fits && i + 2 < rank; ++i)
    fits = (a[i] == out[i] || a[i] == 1) && (b[i] == out[i] || b[i] == 1);
  if (!fits)
    refuse(c.layer, fmt::format("{} x {} is not a (batched) matrix product giving {}", shape_to_string(a),
                                shape_to_string(b), shape_to_string(out)));
  const memory::desc first = activation_desc(a), second = activation_desc(b), dst = activation_desc(out);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(first, second, dst), c.engine);
  return primitive_kernel(dnnl::matmul(pd), {{DNNL_ARG_SRC, first}, {DNNL_ARG_WEIGHTS, second}}, dst, {}, c.engine);
}

} // namespace pipesplit::exec
