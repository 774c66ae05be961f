#include "models/onnx/onnx_external_data.hpp"
#include "core/error.hpp"
#include "models/onnx/onnx_propagation.hpp"
#include "models/onnx/onnx_tensors.hpp"
#include "models/onnx/onnx_values.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>

namespace pipesplit::models::onnx_import {

namespace fs = std::filesystem;

namespace {

struct ExternalReference {
  std::string location;
  int64_t offset = 0;
  std::optional<int64_t> length;
};

int64_t parse_byte_count(const std::string& text, const std::string& key, const std::string& path,
                         const std::string& field)
{
  int64_t value           = -1;
  const auto* end         = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || ptr != end || value < 0)
    throw InputError(path, field, fmt::format("external data '{}' is '{}', not a byte count", key, text));
  return value;
}

// The keys ONNX defines: location, offset, length and checksum (a SHA-1 of data never read here: not checked).
ExternalReference parse_reference(const onnx::TensorProto& tensor, const std::string& path, const std::string& field)
{
  ExternalReference reference;
  for (const auto& entry : tensor.external_data()) {
    if (entry.key() == "location")
      reference.location = entry.value();
    else if (entry.key() == "offset")
      reference.offset = parse_byte_count(entry.value(), "offset", path, field);
    else if (entry.key() == "length")
      reference.length = parse_byte_count(entry.value(), "length", path, field);
  }
  if (reference.location.empty())
    throw InputError(path, field, "external data without a 'location'");
  return reference;
}

bool inside(const fs::path& file, const fs::path& folder)
{
  auto f = file.begin();
  for (auto d = folder.begin(); d != folder.end(); ++d, ++f)
    if (f == file.end() || *f != *d)
      return false;
  return f != file.end();
}

// The file a location names: relative to the model's folder and inside it, also once symbolic links are followed
// (the model is data: its locations must not read /etc/shadow or another user's files).
fs::path external_file(const std::string& location, const std::string& path, const std::string& field)
{
  const fs::path relative(location);
  if (location.find('\0') != std::string::npos || relative.is_absolute() || relative.has_root_path())
    throw InputError(path, field,
                     fmt::format("external data location '{}' is not a path relative to the model's folder", location));
  for (const auto& part : relative)
    if (part == "..")
      throw InputError(path, field, fmt::format("external data location '{}' leaves the model's folder", location));
  const fs::path folder = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  const fs::path file   = folder / relative;
  std::error_code error, file_error, folder_error;
  if (!fs::exists(file, error))
    throw InputError(path, field,
                     fmt::format("external data file '{}' is missing (its location '{}' is relative to the model's "
                                 "folder: keep the model's side files next to it)",
                                 file.string(), location));
  if (!fs::is_regular_file(file, error))
    throw InputError(path, field, fmt::format("external data file '{}' is not a regular file", file.string()));
  const fs::path real_file = fs::canonical(file, file_error), real_folder = fs::canonical(folder, folder_error);
  if (file_error || folder_error || !inside(real_file, real_folder))
    throw InputError(path, field,
                     fmt::format("external data file '{}' leads out of the model's folder (a symbolic link to '{}')",
                                 file.string(), real_file.string()));
  return file;
}

int64_t tensor_bytes(const onnx::TensorProto& tensor, const std::string& path, const std::string& field)
{
  const auto element = element_bytes(tensor.data_type());
  if (!element || tensor.data_type() == onnx::TensorProto_DataType_STRING)
    throw InputError(path, field, "external data of a type without a fixed element size");
  int64_t bytes = static_cast<int64_t>(*element);
  for (auto dim : tensor.dims()) {
    if (dim < 0)
      throw InputError(path, field, fmt::format("negative dimension {}", dim));
    if (dim != 0 && bytes > std::numeric_limits<int64_t>::max() / dim)
      throw InputError(path, field, "external data of more than 2^63 bytes");
    bytes *= dim;
  }
  return bytes;
}

// Shapes, indices, masks and scalars, which inference and folding read; weights stay in their files.
bool read_into_model(const onnx::TensorProto& tensor)
{
  const Shape dims(tensor.dims().begin(), tensor.dims().end());
  return !is_weight(tensor) && element_count(dims) <= max_folded_elements;
}

void read_data(onnx::TensorProto& tensor, const fs::path& file, int64_t offset, int64_t bytes, const std::string& path,
               const std::string& field)
{
  std::ifstream in(file, std::ios::binary);
  std::string data(static_cast<size_t>(bytes), '\0');
  if (!in.seekg(offset) || !in.read(data.data(), bytes))
    throw InputError(path, field, fmt::format("cannot read external data file '{}'", file.string()));
  tensor.set_raw_data(std::move(data));
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto_DataLocation_DEFAULT);
}

void resolve(onnx::TensorProto& tensor, const std::string& path, const std::string& field)
{
  if (!has_external_data(tensor))
    return;
  const ExternalReference reference = parse_reference(tensor, path, field);
  const int64_t bytes               = tensor_bytes(tensor, path, field);
  if (reference.length && *reference.length != bytes)
    throw InputError(
        path, field,
        fmt::format("external data length {} bytes, the dimensions need {} bytes", *reference.length, bytes));
  const fs::path file = external_file(reference.location, path, field);
  std::error_code error;
  const auto size = static_cast<int64_t>(fs::file_size(file, error));
  if (error || reference.offset > size || size - reference.offset < bytes)
    throw InputError(path, field,
                     fmt::format("external data file '{}' has {} bytes, the tensor needs {} from offset {}",
                                 file.string(), size, bytes, reference.offset));
  if (read_into_model(tensor))
    read_data(tensor, file, reference.offset, bytes, path, field);
}

std::string node_field(const onnx::NodeProto& node, const std::string& attribute)
{
  const std::string name = !node.name().empty() ? node.name() : node.output_size() > 0 ? node.output(0) : "";
  return fmt::format("node '{}' ({}) attribute '{}'", name, node.op_type(), attribute);
}

} // namespace

bool has_external_data(const onnx::TensorProto& tensor)
{
  return tensor.data_location() == onnx::TensorProto_DataLocation_EXTERNAL;
}

void resolve_external_data(onnx::GraphProto& graph, const std::string& model_path)
{
  for (auto& initializer : *graph.mutable_initializer())
    resolve(initializer, model_path, fmt::format("initializer '{}'", initializer.name()));
  for (auto& node : *graph.mutable_node())
    for (auto& attribute : *node.mutable_attribute())
      if (attribute.has_t())
        resolve(*attribute.mutable_t(), model_path, node_field(node, attribute.name()));
}

} // namespace pipesplit::models::onnx_import
