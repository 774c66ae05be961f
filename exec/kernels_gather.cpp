// ONNX's Gather: output[outer, j, inner] = data[outer, indices[j], inner] along `axis`, negative indices counting
// from the end. The data is a layer's output or a constant table (an embedding, random rows); the indices are one
// constant (a token, Swin's q / k / v) or a layer's output (token ids). A loop over positions computed once
// (exec/index_map.hpp: oneDNN has no gather).

#include "core/error.hpp"
#include "exec/index_map.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pipesplit::exec {

namespace {

class GatherKernel : public LayerKernel {
public:
  // For output element k: its offset, the data offset of index 0 along the axis, and its index's offset.
  struct Plan {
    std::vector<int64_t> destination, base, index_at;
    int64_t axis_stride = 0, length = 0;
  };
  GatherKernel(const Layer& layer, Plan plan, std::vector<float> table, std::optional<int64_t> index)
      : name_(layer.name), plan_(std::move(plan)), table_(std::move(table)), index_(index)
  {}

  void run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    const float* data    = table_.empty() ? inputs[0]->data.data() : table_.data();
    const float* indices = index_ ? nullptr : inputs.back()->data.data();
    for (size_t k = 0; k < plan_.destination.size(); ++k) {
      const int64_t i                                        = index_ ? *index_ : checked(indices[plan_.index_at[k]]);
      output.data[static_cast<size_t>(plan_.destination[k])] = data[plan_.base[k] + i * plan_.axis_stride];
    }
  }

private:
  int64_t checked(float raw) const
  {
    const auto i = static_cast<int64_t>(std::lround(raw));
    if (i < -plan_.length || i >= plan_.length)
      throw InputError(
          fmt::format("layer '{}' (op gather): index {} outside [-{}, {})", name_, i, plan_.length, plan_.length));
    return i < 0 ? i + plan_.length : i;
  }

  std::string name_;
  Plan plan_;
  std::vector<float> table_;
  std::optional<int64_t> index_;
};

// Positions for data of `data` shape and `strides`, gathered along `axis` into the layer's output; `indices` the
// index tensor's shape (empty for one constant index, the axis then dropped; [1] keeps it).
GatherKernel::Plan plan(const KernelContext& c, const Shape& data, const std::vector<int64_t>& strides, int64_t axis,
                        const Shape& indices)
{
  const auto a = static_cast<size_t>(axis);
  Shape expected(data.begin(), data.begin() + axis);
  expected.insert(expected.end(), indices.begin(), indices.end());
  expected.insert(expected.end(), data.begin() + axis + 1, data.end());
  // An output whose first axis is 1 loses it (the import drops an ONNX tensor's leading 1: Swin's [3, 1, 2, 16, 16]
  // gathered at index 0 is [2, 16, 16]); that axis is then walked with stride 0.
  const Shape& out                 = c.layer.output_shape;
  const bool drops_first           = expected.size() == out.size() + 1 && expected.front() == 1;
  std::vector<int64_t> out_strides = layout_strides(out);
  if (expected != out && drops_first)
    out_strides.insert(out_strides.begin(), 0);
  if (expected != out && !(drops_first && Shape(expected.begin() + 1, expected.end()) == out))
    refuse(c.layer,
           fmt::format("gathering {} along axis {} by indices {} gives {}, the output is {}", shape_to_string(data),
                       axis, shape_to_string(indices), shape_to_string(expected), shape_to_string(out)));
  GatherKernel::Plan p{{}, {}, {}, strides[a], data[a]};
  const std::vector<int64_t> index_strides = layout_strides(indices);
  for_each_element(expected, out_strides, [&](const std::vector<int64_t>& index, int64_t offset) {
    int64_t base = 0, at = 0;
    for (size_t i = 0; i < a; ++i)
      base += index[i] * strides[i];
    for (size_t i = 0; i < indices.size(); ++i)
      at += index[a + i] * index_strides[i];
    for (size_t i = a + 1; i < data.size(); ++i)
      base += index[i - 1 + indices.size()] * strides[i];
    p.destination.push_back(offset);
    p.base.push_back(base);
    p.index_at.push_back(at);
  });
  return p;
}

} // namespace

std::unique_ptr<LayerKernel> make_gather(const KernelContext& c)
{
  const auto& a      = c.layer.attributes;
  const bool table   = !a.operand_shape.empty();
  const size_t count = c.input_shapes.size();
  if (table ? count != 1 : (count != 1 && count != 2))
    refuse(c.layer, "needs a table and the indices as input, or the data and, unless the index is constant, the "
                    "indices as inputs");
  const Shape data = table ? a.operand_shape : c.input_shapes[0];
  if (a.axis < 0 || a.axis >= static_cast<int64_t>(data.size()))
    refuse(c.layer, fmt::format("axis {} outside the data's rank {}", a.axis, data.size()));
  const int64_t length = data[static_cast<size_t>(a.axis)];
  if (table || count == 2) { // the indices are a layer's output
    const Shape& indices = c.input_shapes.back();
    std::vector<float> values;
    if (table) {
      values.resize(static_cast<size_t>(element_count(data)));
      RandomStream(c.seed, c.layer.name + "/table").fill(values, -1, 1);
    }
    auto p = plan(c, data, table ? row_major_strides(data) : layout_strides(data), a.axis, indices);
    return std::make_unique<GatherKernel>(c.layer, std::move(p), std::move(values), std::nullopt);
  }
  if (a.index < -length || a.index >= length)
    refuse(c.layer, fmt::format("index {} outside [-{}, {})", a.index, length, length));
  // One constant index: the axis dropped, or kept with one element when the output has the data's rank.
  const Shape indices = c.layer.output_shape.size() == data.size() ? Shape{1} : Shape{};
  auto p              = plan(c, data, layout_strides(data), a.axis, indices);
  return std::make_unique<GatherKernel>(c.layer, std::move(p), std::vector<float>{},
                                        a.index < 0 ? a.index + length : a.index);
}

} // namespace pipesplit::exec
