// A linear layer (ONNX MatMul by a constant matrix) over the last axis of a [A, B, D] tensor: that tensor lies
// channels-last (exec/tensor.hpp), so its rows of D features are not contiguous; it is reordered to row-major, the
// rows go through the inner product of a [A B, D] matrix, and the result is reordered back.

#include "exec/kernel.hpp"

namespace pipesplit::exec {

using dnnl::memory;

namespace {

class RowMajorKernel : public LayerKernel {
public:
  RowMajorKernel(std::unique_ptr<LayerKernel> rows, const Shape& in, const Shape& out, dnnl::engine& engine)
      : rows_(std::move(rows)), in_rows_("rows in", in), out_rows_("rows out", out), engine_(engine),
        in_image_(activation_desc(in)), in_plain_(plain_desc(with_batch(in))), out_plain_(plain_desc(with_batch(out))),
        out_image_(activation_desc(out)), to_rows_(dnnl::reorder::primitive_desc(engine, in_image_, engine, in_plain_)),
        to_image_(dnnl::reorder::primitive_desc(engine, out_plain_, engine, out_image_))
  {}

  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    memory source = wrap(in_image_, engine_, inputs[0]->data.data());
    memory rows   = wrap(in_plain_, engine_, in_rows_.data.data());
    to_rows_.execute(stream, source, rows);
    rows_->run(stream, {&in_rows_}, out_rows_);
    memory result = wrap(out_plain_, engine_, out_rows_.data.data());
    memory target = wrap(out_image_, engine_, output.data.data());
    to_image_.execute(stream, result, target);
  }

private:
  std::unique_ptr<LayerKernel> rows_;
  Tensor in_rows_, out_rows_;
  dnnl::engine& engine_;
  memory::desc in_image_, in_plain_, out_plain_, out_image_;
  dnnl::reorder to_rows_, to_image_;
};

} // namespace

std::unique_ptr<LayerKernel> row_major(std::unique_ptr<LayerKernel> rows, const KernelContext& c)
{
  return std::make_unique<RowMajorKernel>(std::move(rows), c.input_shapes[0], c.layer.output_shape, c.engine);
}

} // namespace pipesplit::exec
