// ONNX's Slice on one axis: the output is the input's elements from `index` on along `axis`, every `step`-th
// (backwards when negative), as many as the output has. With step 1 (ShuffleNetV2's channel split, attention's q / k
// / v) a reorder from that part of the input, seen in the input's own layout (a sub-memory), into the output; other
// steps (Swin's patch merging takes every other row and column) a loop over precomputed positions
// (exec/index_map.hpp: oneDNN's memory descriptors take no negative strides).

#include "exec/index_map.hpp"

#include <fmt/format.h>

namespace pipesplit::exec {

using dnnl::memory;

static std::unique_ptr<LayerKernel> strided_slice(const KernelContext& c)
{
  const auto& a                         = c.layer.attributes;
  const std::vector<int64_t> in_strides = layout_strides(c.input_shapes[0]);
  std::vector<int64_t> destination, source;
  for_each_element(c.layer.output_shape, layout_strides(c.layer.output_shape),
                   [&](const std::vector<int64_t>& index, int64_t offset) {
                     int64_t from = 0;
                     for (size_t i = 0; i < index.size(); ++i)
                       from +=
                           (static_cast<int64_t>(i) == a.axis ? a.index + index[i] * a.step : index[i]) * in_strides[i];
                     destination.push_back(offset);
                     source.push_back(from);
                   });
  return std::make_unique<IndexMapKernel>(std::move(destination), std::move(source), 0.0f);
}

std::unique_ptr<LayerKernel> make_range_slice(const KernelContext& c)
{
  const Shape& in    = c.input_shapes[0];
  const Shape& out   = c.layer.output_shape;
  const int64_t axis = c.layer.attributes.axis, start = c.layer.attributes.index, step = c.layer.attributes.step;
  bool fits = axis >= 0 && axis < static_cast<int64_t>(in.size()) && out.size() == in.size() && step != 0;
  for (size_t i = 0; fits && i < in.size(); ++i) {
    const int64_t last = start + (out[i] - 1) * step; // the last element kept along the axis
    fits = static_cast<int64_t>(i) == axis ? start >= 0 && start < in[i] && last >= 0 && last < in[i] : out[i] == in[i];
  }
  if (!fits)
    refuse(c.layer, fmt::format("{} from {} by steps of {} along axis {} does not give {}", shape_to_string(in), start,
                                step, axis, shape_to_string(out)));
  if (step != 1)
    return strided_slice(c);
  memory::dims offsets(in.size() + 1, 0);
  offsets[static_cast<size_t>(axis) + 1] = start;
  const memory::desc part                = activation_desc(in).submemory_desc(with_batch(out), offsets);
  const memory::desc dst                 = activation_desc(out);
  const dnnl::reorder::primitive_desc pd(c.engine, part, c.engine, dst);
  return primitive_kernel(dnnl::reorder(pd), {{DNNL_ARG_SRC, part}}, dst, {}, c.engine);
}

} // namespace pipesplit::exec
