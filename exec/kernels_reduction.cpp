// ReduceMean over trailing axes (a decomposed LayerNorm's mean over features, a global average over [H, W]) on
// oneDNN's reduction primitive: the output described with the input's rank, 1 on the reduced axes, in the layout the
// output tensor has (the reduced axes kept as 1, or dropped).

#include "exec/kernel.hpp"

#include <fmt/format.h>

namespace pipesplit::exec {

using dnnl::memory;

namespace {

// The output's memory seen with the input's rank: its own layout when it keeps the reduced axes, else its
// row-major order with the dropped (size 1) axes appended.
memory::desc reduced_desc(const Shape& kept, const Shape& out)
{
  if (kept.size() == out.size())
    return activation_desc(out);
  return plain_desc(with_batch(kept));
}

} // namespace

std::unique_ptr<LayerKernel> make_reduce_mean(const KernelContext& c)
{
  if (c.input_shapes.size() != 1)
    refuse(c.layer, fmt::format("needs one input, has {}", c.input_shapes.size()));
  const Shape& in    = c.input_shapes[0];
  const Shape& out   = c.layer.output_shape;
  const int64_t axis = c.layer.attributes.axis;
  if (axis >= static_cast<int64_t>(in.size()))
    refuse(c.layer, fmt::format("axis {} beyond the input's rank", axis));
  Shape kept(in.begin(), in.begin() + axis), dropped = kept;
  kept.resize(in.size(), 1);
  if (out != kept && out != dropped)
    refuse(c.layer,
           fmt::format("the mean over axes {}.. of {} is {} or {}, the output is {}", axis, shape_to_string(in),
                       shape_to_string(kept), shape_to_string(dropped), shape_to_string(out)));
  if (out == dropped && out.size() == 3)
    refuse(c.layer, "an image output with the reduced axes dropped (its channels-last layout differs)");
  if (kept == in) // only axes of size 1 (a mean after a global pooling): oneDNN's reduction needs a reduced axis
    return make_copy(c);
  const memory::desc src = activation_desc(in);
  const memory::desc dst = reduced_desc(kept, out);
  const dnnl::reduction::desc desc(dnnl::algorithm::reduction_mean, src, dst, 0.f, 0.f);
  return primitive_kernel(dnnl::reduction(dnnl::reduction::primitive_desc(desc, c.engine)), {{DNNL_ARG_SRC, src}}, dst,
                          {}, c.engine);
}

} // namespace pipesplit::exec
