#include "exec/index_map.hpp"

namespace pipesplit::exec {

std::vector<int64_t> row_major_strides(const Shape& shape)
{
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

std::vector<int64_t> layout_strides(const Shape& shape)
{
  if (shape.size() != 3)
    return row_major_strides(shape);
  return {1, shape[2] * shape[0], shape[0]}; // channels-last: (c, h, w) at (h W + w) C + c
}

void for_each_element(const Shape& shape, const std::vector<int64_t>& strides,
                      const std::function<void(const std::vector<int64_t>&, int64_t)>& visit)
{
  if (shape.empty()) {
    visit({}, 0);
    return;
  }
  if (element_count(shape) == 0)
    return;
  std::vector<int64_t> index(shape.size(), 0);
  int64_t offset = 0;
  while (true) {
    visit(index, offset);
    size_t axis = shape.size();
    while (axis > 0) { // odometer: the last axis moves fastest
      --axis;
      offset += strides[axis];
      if (++index[axis] < shape[axis])
        break;
      offset -= strides[axis] * shape[axis];
      index[axis] = 0;
      if (axis == 0)
        return;
    }
  }
}

IndexMapKernel::IndexMapKernel(std::vector<int64_t> destination, std::vector<int64_t> source, float fill)
    : destination_(std::move(destination)), source_(std::move(source)), fill_(fill)
{}

void IndexMapKernel::run(dnnl::stream&, const std::vector<const Tensor*>& inputs, Tensor& output)
{
  const float* in = inputs.empty() ? nullptr : inputs[0]->data.data();
  float* out      = output.data.data();
  for (size_t k = 0; k < destination_.size(); ++k)
    out[destination_[k]] = source_[k] < 0 ? fill_ : in[source_[k]];
}

} // namespace pipesplit::exec
