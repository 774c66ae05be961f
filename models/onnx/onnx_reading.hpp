#pragma once
// Reading an .onnx file with its progress: exports of a gigabyte take seconds to parse, and `model import` shows how
// far it got on a terminal.

#include "models/layer.hpp"

#include <onnx/onnx_pb.h>

#include <functional>
#include <string>

namespace pipesplit::models::onnx_import {

// Parses the file as an onnx.ModelProto; `on_bytes(read, total)` is called as the bytes go by (every 16 MiB, and
// once at the end). Throws InputError naming the file when it cannot be read or is no ONNX model with a graph.
onnx::ModelProto read_model_proto(const std::string& path, const std::function<void(double, double)>& on_bytes);

} // namespace pipesplit::models::onnx_import
