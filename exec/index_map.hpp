#pragma once
// Data movement as plain loops over precomputed positions, for the ops oneDNN has no primitive for (Gather, Pad, a
// Slice with a step other than 1: oneDNN's memory descriptors take no negative strides, its reorders no
// replicated or reflected borders, and it has no gather). Positions are memory offsets in the layout of
// exec/tensor.hpp ([C, H, W] channels-last, other ranks row-major), computed once when the kernel is made.

#include "exec/kernel.hpp"

#include <functional>

namespace pipesplit::exec {

// The memory stride of each axis of a tensor of `shape` as stages store it.
std::vector<int64_t> layout_strides(const Shape& shape);
// The memory stride of each axis of a row-major tensor (a constant table).
std::vector<int64_t> row_major_strides(const Shape& shape);
// Calls `visit(index, offset)` for every element of `shape` in row-major order of its multi-index, with the
// element's memory offset in a tensor of `strides`.
void for_each_element(const Shape& shape, const std::vector<int64_t>& strides,
                      const std::function<void(const std::vector<int64_t>&, int64_t)>& visit);

// output[destination[k]] = source[k] < 0 ? fill : input[source[k]].
class IndexMapKernel : public LayerKernel {
public:
  IndexMapKernel(std::vector<int64_t> destination, std::vector<int64_t> source, float fill);
  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override;

private:
  std::vector<int64_t> destination_, source_;
  float fill_;
};

} // namespace pipesplit::exec
