#pragma once
// Element-wise ops of constant folding, with numpy broadcasting.

#include "core/model.hpp"
#include "models/layer.hpp"
#include "models/onnx/onnx_values.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pipesplit::models::onnx_import {

// numpy broadcasting of two shapes; throws std::invalid_argument when they do not broadcast.
Shape broadcast_shape(const Shape& a, const Shape& b);
// For each element of `out` (row-major), the index of the element of a tensor of shape `in` broadcast to it.
std::vector<int64_t> broadcast_indices(const Shape& out, const Shape& in);

// Add, Sub, Mul, Div, Mod (fmod as given), Pow, Min, Max, Sum, Equal, Less, Greater, LessOrEqual, GreaterOrEqual,
// And, Or, Xor over two or more operands; nullopt for another op or a result larger than max_folded_elements.
std::optional<Value> fold_binary(const std::string& op, const std::vector<const Value*>& operands, bool fmod);
// Neg, Not, Abs, Sqrt, Floor, Ceil, Reciprocal, Identity; nullopt for another op.
std::optional<Value> fold_unary(const std::string& op, const Value& x);
// nullopt when the result would be larger than max_folded_elements.
std::optional<Value> fold_where(const Value& condition, const Value& x, const Value& y);

} // namespace pipesplit::models::onnx_import
