#pragma once
// ONNX external data: tensors whose bytes live in a side file (`location`, `offset`, `length` in the tensor's
// external_data), as torch.onnx.export writes every weight of a model over protobuf's 2 GB. The import needs only
// the weights' dimensions and types: their files are checked (inside the model's folder, present, long enough) but
// never read. Small integer, boolean and scalar tensors (shapes, indices, masks, constants), which shape inference
// and constant folding compute with, are read into the tensor as if the file held them.

#include <onnx/onnx_pb.h>

#include <string>

namespace pipesplit::models::onnx_import {

// For every initializer and tensor attribute of the graph with external data: checks the reference (a relative
// location that stays within the folder of `model_path`, after symbolic links too; a regular file holding offset +
// the tensor's bytes; a length, if given, equal to the tensor's bytes) and reads the data of the small tensors above.
// Throws InputError naming `model_path` and the tensor.
void resolve_external_data(onnx::GraphProto& graph, const std::string& model_path);

// Whether the tensor's data is still in an external file (a weight the import never reads).
bool has_external_data(const onnx::TensorProto& tensor);

} // namespace pipesplit::models::onnx_import
