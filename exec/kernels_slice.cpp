// ONNX's Slice on one axis with step 1 (ShuffleNetV2's channel split): the output is the input's elements from
// `index` on along `axis`, as many as the output has; a reorder from that part of the input, seen in the input's
// own layout (a sub-memory), into the output.

#include "exec/kernel.hpp"

#include <fmt/format.h>

namespace pipesplit::exec {

using dnnl::memory;

std::unique_ptr<LayerKernel> make_range_slice(const KernelContext& c)
{
  const Shape& in    = c.input_shapes[0];
  const Shape& out   = c.layer.output_shape;
  const int64_t axis = c.layer.attributes.axis, start = c.layer.attributes.index;
  bool fits = axis < static_cast<int64_t>(in.size()) && start >= 0;
  for (size_t i = 0; fits && i < in.size(); ++i)
    fits = static_cast<int64_t>(i) == axis ? start + out[i] <= in[i] : out[i] == in[i];
  if (!fits)
    refuse(c.layer, fmt::format("{} from {} along axis {} does not give {}", shape_to_string(in), start, axis,
                                shape_to_string(out)));
  memory::dims offsets(in.size() + 1, 0);
  offsets[static_cast<size_t>(axis) + 1] = start;
  const memory::desc part                = activation_desc(in).submemory_desc(with_batch(out), offsets);
  const memory::desc dst                 = activation_desc(out);
  const dnnl::reorder::primitive_desc pd(c.engine, part, c.engine, dst);
  return primitive_kernel(dnnl::reorder(pd), {{DNNL_ARG_SRC, part}}, dst, {}, c.engine);
}

} // namespace pipesplit::exec
