#include "models/onnx/onnx_folding_elementwise.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>

namespace pipesplit::models::onnx_import {

Shape broadcast_shape(const Shape& a, const Shape& b)
{
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da < 0 || db < 0 || (da != db && da != 1 && db != 1))
      throw std::invalid_argument(
          fmt::format("shapes {} and {} do not broadcast", shape_to_string(a), shape_to_string(b)));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> broadcast_indices(const Shape& out, const Shape& in)
{
  const size_t rank = out.size();
  // Stride of each output axis in the input: 0 where the input has size 1 (or lacks the axis).
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t k = 0; k < in.size(); ++k) {
    const size_t axis     = in.size() - 1 - k;
    strides[rank - 1 - k] = in[axis] == 1 ? 0 : stride;
    stride *= in[axis];
  }
  std::vector<int64_t> indices(static_cast<size_t>(element_count(out)));
  std::vector<int64_t> position(rank, 0);
  int64_t index = 0;
  for (auto& result : indices) {
    result = index;
    for (size_t axis = rank; axis-- > 0;) { // next position, row-major, keeping `index` in step
      index += strides[axis];
      if (++position[axis] < out[axis])
        break;
      index -= strides[axis] * out[axis];
      position[axis] = 0;
    }
  }
  return indices;
}

namespace {

using IntOp  = std::function<int64_t(int64_t, int64_t)>;
using RealOp = std::function<double(double, double)>;

struct BinaryOp {
  IntOp on_ints;
  RealOp on_reals;
  bool to_bool = false; // comparisons and logic give booleans
};

int64_t checked_divisor(int64_t b)
{
  if (b == 0)
    throw std::invalid_argument("integer division by zero");
  return b;
}

// Integer Mod without fmod takes the divisor's sign (as Python's %); fmod, the dividend's (as C's).
int64_t integer_mod(int64_t a, int64_t b, bool fmod)
{
  const int64_t r = a % checked_divisor(b);
  return !fmod && r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}

BinaryOp binary_op(const std::string& op, bool fmod)
{
  static const std::map<std::string, BinaryOp> ops = {
      {"Add", {std::plus<int64_t>(), std::plus<double>()}},
      {"Sum", {std::plus<int64_t>(), std::plus<double>()}},
      {"Sub", {std::minus<int64_t>(), std::minus<double>()}},
      {"Mul", {std::multiplies<int64_t>(), std::multiplies<double>()}},
      {"Div", {[](int64_t a, int64_t b) { return a / checked_divisor(b); }, std::divides<double>()}},
      {"Pow",
       {[](int64_t a, int64_t b) { return static_cast<int64_t>(std::pow(a, b)); },
        [](double a, double b) { return std::pow(a, b); }}},
      {"Min",
       {[](int64_t a, int64_t b) { return std::min(a, b); }, [](double a, double b) { return std::fmin(a, b); }}},
      {"Max",
       {[](int64_t a, int64_t b) { return std::max(a, b); }, [](double a, double b) { return std::fmax(a, b); }}},
      {"Equal", {std::equal_to<int64_t>(), std::equal_to<double>(), true}},
      {"Less", {std::less<int64_t>(), std::less<double>(), true}},
      {"Greater", {std::greater<int64_t>(), std::greater<double>(), true}},
      {"LessOrEqual", {std::less_equal<int64_t>(), std::less_equal<double>(), true}},
      {"GreaterOrEqual", {std::greater_equal<int64_t>(), std::greater_equal<double>(), true}},
      {"And", {std::logical_and<int64_t>(), std::logical_and<double>(), true}},
      {"Or", {std::logical_or<int64_t>(), std::logical_or<double>(), true}},
      {"Xor",
       {[](int64_t a, int64_t b) { return (a != 0) != (b != 0); },
        [](double a, double b) { return (a != 0) != (b != 0); }, true}},
  };
  if (op == "Mod")
    return {[fmod](int64_t a, int64_t b) { return integer_mod(a, b, fmod); },
            [fmod](double a, double b) { return fmod ? std::fmod(a, b) : a - b * std::floor(a / b); }};
  const auto it = ops.find(op);
  return it == ops.end() ? BinaryOp{} : it->second;
}

Value apply(const BinaryOp& op, const Value& a, const Value& b)
{
  const Shape shape = broadcast_shape(a.dims, b.dims);
  const auto ia     = broadcast_indices(shape, a.dims);
  const auto ib     = broadcast_indices(shape, b.dims);
  const bool ints   = a.integral() && b.integral();
  Value out         = op.to_bool ? Value::integers(onnx::TensorProto_DataType_BOOL, {}, {}).like(shape) : a.like(shape);
  for (size_t i = 0; i < ia.size(); ++i) {
    const double real = ints ? 0 : op.on_reals(a.real(ia[i]), b.real(ib[i]));
    if (op.to_bool)
      out.ints[i] = ints ? op.on_ints(a.ints[ia[i]], b.ints[ib[i]]) != 0 : real != 0;
    else if (out.integral())
      out.ints[i] = ints ? op.on_ints(a.ints[ia[i]], b.ints[ib[i]]) : static_cast<int64_t>(real);
    else
      out.reals[i] = real;
  }
  return out;
}

} // namespace

std::optional<Value> fold_binary(const std::string& op, const std::vector<const Value*>& operands, bool fmod)
{
  const BinaryOp binary = binary_op(op, fmod);
  if (!binary.on_ints || operands.empty())
    return std::nullopt;
  Value result = *operands.front();
  for (size_t i = 1; i < operands.size(); ++i) {
    if (element_count(broadcast_shape(result.dims, operands[i]->dims)) > max_folded_elements)
      return std::nullopt;
    result = apply(binary, result, *operands[i]);
  }
  return result;
}

std::optional<Value> fold_unary(const std::string& op, const Value& x)
{
  static const std::map<std::string, RealOp> ops = {
      {"Neg", [](double v, double) { return -v; }},
      {"Not", [](double v, double) { return v == 0 ? 1.0 : 0.0; }},
      {"Abs", [](double v, double) { return std::fabs(v); }},
      {"Sqrt", [](double v, double) { return std::sqrt(v); }},
      {"Floor", [](double v, double) { return std::floor(v); }},
      {"Ceil", [](double v, double) { return std::ceil(v); }},
      {"Reciprocal", [](double v, double) { return 1 / v; }},
      {"Identity", [](double v, double) { return v; }},
  };
  const auto it = ops.find(op);
  if (it == ops.end())
    return std::nullopt;
  Value out = x.like(x.dims);
  for (int64_t i = 0; i < x.size(); ++i) {
    if (x.integral() && (op == "Neg" || op == "Abs" || op == "Identity")) // exact on int64
      out.ints[i] = op == "Neg" ? -x.ints[i] : op == "Abs" ? std::abs(x.ints[i]) : x.ints[i];
    else if (out.integral())
      out.ints[i] = static_cast<int64_t>(it->second(x.real(i), 0));
    else
      out.reals[i] = it->second(x.real(i), 0);
  }
  return out;
}

std::optional<Value> fold_where(const Value& condition, const Value& x, const Value& y)
{
  const Shape shape = broadcast_shape(condition.dims, broadcast_shape(x.dims, y.dims));
  if (element_count(shape) > max_folded_elements)
    return std::nullopt;
  const auto ic = broadcast_indices(shape, condition.dims);
  const auto ix = broadcast_indices(shape, x.dims);
  const auto iy = broadcast_indices(shape, y.dims);
  Value out     = x.like(shape);
  for (size_t i = 0; i < ic.size(); ++i) {
    if (condition.integer(ic[i]) != 0)
      out.copy_element(x, ix[i], static_cast<int64_t>(i));
    else
      out.copy_element(y, iy[i], static_cast<int64_t>(i));
  }
  return out;
}

} // namespace pipesplit::models::onnx_import
