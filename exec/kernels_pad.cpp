// ONNX's Pad (Swin pads its windows' grid): constant, reflect (mirrored without repeating the border element) and
// edge (the border element repeated) modes, as a loop over precomputed positions (exec/index_map.hpp: oneDNN has no
// padding primitive); other modes are refused by name.

#include "exec/index_map.hpp"

#include <fmt/format.h>

namespace pipesplit::exec {

namespace {

// The input coordinate an output coordinate `x` (already shifted by the begin padding) reads; -1 for the constant.
int64_t source_coordinate(int64_t x, int64_t length, const std::string& mode)
{
  if (x >= 0 && x < length)
    return x;
  if (mode == "constant")
    return -1;
  if (mode == "edge")
    return x < 0 ? 0 : length - 1;
  // reflect (length > 1: make_pad refuses a padded axis of one element)
  const int64_t period = 2 * (length - 1);
  x                    = ((x % period) + period) % period;
  return x < length ? x : period - x;
}

} // namespace

std::unique_ptr<LayerKernel> make_pad(const KernelContext& c)
{
  const auto& a = c.layer.attributes;
  if (c.input_shapes.size() != 1)
    refuse(c.layer, "needs one input");
  const Shape& in = c.input_shapes[0];
  if (a.mode != "constant" && a.mode != "reflect" && a.mode != "edge")
    refuse(c.layer, fmt::format("pad mode '{}' has no executor (constant, reflect and edge have)", a.mode));
  Shape expected;
  for (size_t i = 0; i < in.size() && a.pad_begin.size() == in.size() && a.pad_end.size() == in.size(); ++i)
    expected.push_back(a.pad_begin[i] + in[i] + a.pad_end[i]);
  if (expected != c.layer.output_shape)
    refuse(c.layer, fmt::format("pads of {} give {}, the output is {}", shape_to_string(in), shape_to_string(expected),
                                shape_to_string(c.layer.output_shape)));
  for (size_t i = 0; i < in.size(); ++i)
    if (a.mode == "reflect" && in[i] == 1 && a.pad_begin[i] + a.pad_end[i] > 0)
      refuse(c.layer, "reflect mode on an axis of one element");
  const std::vector<int64_t> in_strides = layout_strides(in);
  std::vector<int64_t> destination, source;
  for_each_element(c.layer.output_shape, layout_strides(c.layer.output_shape),
                   [&](const std::vector<int64_t>& index, int64_t offset) {
                     int64_t from = 0;
                     for (size_t i = 0; i < index.size() && from >= 0; ++i) {
                       const int64_t x = source_coordinate(index[i] - a.pad_begin[i], in[i], a.mode);
                       from            = x < 0 ? -1 : from + x * in_strides[i];
                     }
                     destination.push_back(offset);
                     source.push_back(from);
                   });
  return std::make_unique<IndexMapKernel>(std::move(destination), std::move(source), static_cast<float>(a.value));
}

} // namespace pipesplit::exec
