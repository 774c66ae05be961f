// Add, Mul, Sub and Div with numpy broadcasting (a tensor of [C, 1, 1] scaling every pixel of a [C, H, W] one, a
// constant scale or shift), and Transpose: oneDNN's binary primitive broadcasts its second source along the axes where
// it has 1; a transpose is a reorder into the output's memory seen through the input's axes (permuted strides).

#include "exec/kernel.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace pipesplit::exec {

using dnnl::memory;

namespace {

// `shape` right-aligned to `rank` axes (numpy's rule): 1 on the axes it lacks.
Shape aligned(Shape shape, size_t rank)
{
  shape.insert(shape.begin(), rank - std::min(rank, shape.size()), 1);
  return shape;
}

bool broadcasts_to(const Shape& operand, const Shape& output)
{
  if (operand.size() != output.size())
    return false;
  for (size_t i = 0; i < operand.size(); ++i)
    if (operand[i] != output[i] && operand[i] != 1)
      return false;
  return true;
}

// How an operand of `shape` lies in memory when it is a stage's tensor: its own layout (a [C, 1, 1] image is
// channels-last), the axes it lacks prepended with size 1.
memory::desc operand_desc(const Shape& shape, size_t rank)
{
  const memory::desc own = activation_desc(shape);
  if (shape.size() == rank)
    return own;
  return plain_desc(with_batch(aligned(shape, rank)));
}

// A binary primitive whose second source is a constant drawn once, or whose sources are the layer's inputs (the
// first one of the output's shape; the same tensor twice for x * x, which the model lists once).
class BinaryKernel : public LayerKernel {
public:
  BinaryKernel(dnnl::binary primitive, memory::desc first, memory::desc second, memory::desc destination,
               std::optional<memory> constant, std::vector<size_t> order, dnnl::engine& engine)
      : primitive_(std::move(primitive)), first_(std::move(first)), second_(std::move(second)),
        destination_(std::move(destination)), constant_(std::move(constant)), order_(std::move(order)), engine_(engine)
  {}

  void run(dnnl::stream& stream, const std::vector<const Tensor*>& inputs, Tensor& output) override
  {
    std::unordered_map<int, memory> args;
    args[DNNL_ARG_SRC_0] = wrap(first_, engine_, inputs[order_[0]]->data.data());
    args[DNNL_ARG_SRC_1] = constant_ ? *constant_ : wrap(second_, engine_, inputs[order_[1]]->data.data());
    args[DNNL_ARG_DST]   = wrap(destination_, engine_, output.data.data());
    primitive_.execute(stream, args);
  }

private:
  dnnl::binary primitive_;
  memory::desc first_, second_, destination_;
  std::optional<memory> constant_;
  std::vector<size_t> order_; // inputs' positions as sources 0 and 1
  dnnl::engine& engine_;
};

} // namespace

namespace {

struct BinaryChoice {
  dnnl::algorithm algorithm;
  bool commutes;
  float low, high; // a constant operand's range: a scale or divisor around 1, a shift around 0
};

BinaryChoice binary_choice(const std::string& op)
{
  if (op == "mul")
    return {dnnl::algorithm::binary_mul, true, 0.5f, 1.5f};
  if (op == "sub")
    return {dnnl::algorithm::binary_sub, false, -0.1f, 0.1f};
  if (op == "div") // drawn away from 0: the quotients keep the activations' scale
    return {dnnl::algorithm::binary_div, false, 0.5f, 1.5f};
  return {dnnl::algorithm::binary_add, true, -0.1f, 0.1f};
}

} // namespace

std::unique_ptr<LayerKernel> make_binary(const KernelContext& c)
{
  const Shape& out      = c.layer.output_shape;
  const Shape& constant = c.layer.attributes.operand_shape;
  const size_t operands = c.input_shapes.size() + (constant.empty() ? 0 : 1);
  const bool same_twice = c.input_shapes.size() == 1 && constant.empty(); // x * x, x + x
  if (c.input_shapes.empty() || (operands != 2 && !same_twice))
    refuse(c.layer, fmt::format("needs two operands, has {} input(s){}", c.input_shapes.size(),
                                constant.empty() ? "" : " and a constant"));
  const BinaryChoice choice = binary_choice(c.layer.op);
  // Source 0 must have the output's shape (oneDNN broadcasts source 1 only): add and mul commute, sub and div don't.
  std::vector<size_t> order{0, same_twice ? 0u : 1u};
  if (c.input_shapes.size() == 2 && c.input_shapes[0] != out && choice.commutes)
    std::swap(order[0], order[1]);
  if (c.input_shapes[order[0]] != out)
    refuse(c.layer, fmt::format("its first operand does not have the output's shape {}{}", shape_to_string(out),
                                choice.commutes ? "" : " (oneDNN broadcasts the second operand only)"));
  const Shape second = constant.empty() ? aligned(c.input_shapes[order[1]], out.size()) : constant;
  if (!broadcasts_to(second, out))
    refuse(c.layer, fmt::format("operand {} does not broadcast to the output {}", shape_to_string(second),
                                shape_to_string(out)));
  const memory::desc first = activation_desc(out);
  const memory::desc other =
      constant.empty() ? operand_desc(c.input_shapes[order[1]], out.size()) : plain_desc(with_batch(constant));
  const dnnl::binary::primitive_desc pd(dnnl::binary::desc(choice.algorithm, first, other, first), c.engine);
  std::optional<memory> values;
  if (!constant.empty())
    values = random_weights(c, "constant", other, other, choice.low, choice.high);
  return std::make_unique<BinaryKernel>(dnnl::binary(pd), first, other, first, std::move(values), order, c.engine);
}

std::unique_ptr<LayerKernel> make_add(const KernelContext& c)
{
  const bool plain_sum = c.input_shapes.size() >= 2 && c.layer.attributes.operand_shape.empty() &&
                         std::all_of(c.input_shapes.begin(), c.input_shapes.end(),
                                     [&](const Shape& shape) { return shape == c.layer.output_shape; });
  return plain_sum ? make_sum(c) : make_binary(c);
}

// Output axis i is input axis perm[i], or a new axis of size 1 (-1); an input axis perm leaves out must have size 1
// (a sequence-first export moves the batch axis). The output's memory is described with the input's axes, each
// given the output stride of the output axis it becomes; a reorder then writes the input into it.
std::unique_ptr<LayerKernel> make_transpose(const KernelContext& c)
{
  if (c.input_shapes.size() != 1)
    refuse(c.layer, "needs one input");
  const Shape& in  = c.input_shapes[0];
  const auto& perm = c.layer.attributes.perm;
  std::vector<int> uses(in.size(), 0);
  bool valid = !perm.empty() || in.empty();
  Shape expected;
  for (auto axis : perm) {
    valid = valid && axis >= -1 && axis < static_cast<int64_t>(in.size()) && (axis < 0 || ++uses[axis] == 1);
    expected.push_back(valid && axis >= 0 ? in[static_cast<size_t>(axis)] : 1);
  }
  for (size_t i = 0; valid && i < in.size(); ++i)
    valid = uses[i] == 1 || in[i] == 1;
  if (!valid)
    refuse(c.layer, fmt::format("perm [{}] is not a permutation of the input's {} axes (-1: a new axis of size 1; "
                                "an axis left out must have size 1)",
                                fmt::join(perm, ", "), in.size()));
  if (expected != c.layer.output_shape)
    refuse(c.layer, fmt::format("perm gives {}, the output is {}", shape_to_string(expected),
                                shape_to_string(c.layer.output_shape)));
  const memory::desc src      = activation_desc(in);
  const memory::desc out_desc = activation_desc(c.layer.output_shape);
  const auto out_strides      = out_desc.data.format_desc.blocking.strides; // batch first
  memory::dims strides(in.size() + 1, 1);                                   // an axis of size 1 left out: any
  strides[0] = out_strides[0];
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] >= 0)
      strides[static_cast<size_t>(perm[i]) + 1] = out_strides[i + 1];
  const memory::desc dst(with_batch(in), memory::data_type::f32, strides);
  const dnnl::reorder::primitive_desc pd(c.engine, src, c.engine, dst);
  return primitive_kernel(dnnl::reorder(pd), {{DNNL_ARG_SRC, src}}, dst, {}, c.engine);
}

} // namespace pipesplit::exec
