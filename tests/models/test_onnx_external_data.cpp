// ONNX external data (models/onnx/onnx_external_data.cpp): weights in side files import as they do inline, without
// being read; small tensors (a Reshape's shape) are read from their files; every bad reference is an input error
// naming the tensor, and no location reaches outside the model's folder.

#include "core/error.hpp"
#include "models/onnx/onnx_import.hpp"
#include "tests/support/files.hpp"
#include "tests/support/onnx_graph_maker.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>

using namespace pipesplit;
using namespace pipesplit::models;
using namespace pipesplit::test;
namespace fs = std::filesystem;

static const fs::path exports_folder = fs::path(PIPESPLIT_SOURCE_DIR) / "tests" / "data" / "onnx";

TEST_CASE("a model saved with its weights in a side file imports as the single-file model", "[onnx][external]")
{
  // tiny_convnext_op17 as onnx.save_model writes it with save_as_external_data (make_exports.py): 12 of its 21
  // initializers in one file, at offsets.
  const Model single   = import_onnx((exports_folder / "tiny_convnext_op17.onnx").string());
  const Model external = import_onnx((exports_folder / "external" / "tiny_convnext_op17.onnx").string());
  REQUIRE(external.layers.size() == single.layers.size());
  CHECK(external.total_params() == 19322);
  for (size_t i = 0; i < single.layers.size(); ++i) {
    const Layer &a = single.layers[i], &b = external.layers[i];
    INFO(a.name);
    CHECK(a.name == b.name);
    CHECK(a.macs == b.macs);
    CHECK(a.flop == b.flop);
    CHECK(a.params == b.params);
    CHECK(a.param_bytes == b.param_bytes);
    CHECK(a.output_shape == b.output_shape);
    CHECK(a.output_bytes == b.output_bytes);
  }
  CHECK_THAT(error_of([] { import_onnx((exports_folder / "external_missing" / "tiny_convnext_op17.onnx").string()); }),
             Catch::Contains("external_missing/tiny_convnext_op17.weights' is missing"));
}

namespace {

// A folder of its own with a model x [1, 4, 16] -> MatMul by w [16, 8] -> Reshape to `shape` [2] (int64), both
// constants in side files as `reference` sets them.
class ExternalModel {
public:
  explicit ExternalModel(const std::string& name) : folder_(fs::temp_directory_path() / ("pipesplit_external_" + name))
  {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    graph_.input("x", {1, 4, 16});
    weight_ = &graph_.float_initializer("w", {16, 8});
    shape_  = &graph_.float_initializer("shape", {2});
    shape_->set_data_type(onnx::TensorProto_DataType_INT64);
    graph_.node("MatMul", "fc", {"x", "w"}, "h");
    graph_.node("Reshape", "flatten", {"h", "shape"}, "y");
    graph_.output("y", {1, 32});
  }

  const fs::path& folder() const { return folder_; }
  onnx::TensorProto& weight() { return *weight_; }
  onnx::TensorProto& shape() { return *shape_; }

  // Moves the tensor's data to `file` (in the folder) after `offset` bytes of padding, and points the tensor at it.
  static void externalize(onnx::TensorProto& tensor, const fs::path& file, int64_t offset, const std::string& location)
  {
    const auto end = fs::exists(file) ? static_cast<int64_t>(fs::file_size(file)) : 0;
    REQUIRE(end <= offset);
    std::ofstream(file, std::ios::binary | std::ios::app)
        << std::string(static_cast<size_t>(offset - end), '\x7f') << tensor.raw_data();
    reference(tensor, {{"location", location}, {"offset", std::to_string(offset)}});
  }

  static void reference(onnx::TensorProto& tensor, const std::vector<std::pair<std::string, std::string>>& entries)
  {
    tensor.clear_raw_data();
    tensor.clear_external_data();
    tensor.set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
    for (const auto& [key, value] : entries) {
      auto* entry = tensor.add_external_data();
      entry->set_key(key);
      entry->set_value(value);
    }
  }

  std::string write() const { return graph_.write_to(folder_ / "model.onnx"); }

private:
  fs::path folder_;
  GraphMaker graph_;
  onnx::TensorProto* weight_ = nullptr;
  onnx::TensorProto* shape_  = nullptr;
};

} // namespace

TEST_CASE("constants in side files: weights counted from their dimensions, shapes read", "[onnx][external]")
{
  ExternalModel model("good");
  const int64_t target[2] = {1, 32};
  model.shape().set_raw_data(std::string(reinterpret_cast<const char*>(target), sizeof target));
  fs::create_directories(model.folder() / "weights");
  ExternalModel::externalize(model.weight(), model.folder() / "weights" / "data.bin", 100, "weights/data.bin");
  ExternalModel::externalize(model.shape(), model.folder() / "weights" / "data.bin", 700, "weights/data.bin");
  const Model imported = import_onnx(model.write());
  REQUIRE(imported.layers.size() == 2);
  CHECK(imported.layers[0].macs == 4 * 16 * 8);
  CHECK(imported.layers[0].params == 16 * 8);
  CHECK(imported.layers[0].param_bytes == 16 * 8 * 4);
  CHECK(imported.layers[1].output_shape == Shape{32}); // the shape was read from offset 700
  CHECK(imported.total_params() == 128);
}

TEST_CASE("an 8 GiB weight in a side file is never read", "[onnx][external]")
{
  // A sparse file (no disk used) of 8 GiB holds w [65536, 32768] floats: reading it would take the process's peak
  // memory over 8 GiB, and minutes.
  const fs::path folder = fs::temp_directory_path() / "pipesplit_external_sparse";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const int64_t rows = 65536, columns = 32768, bytes = rows * columns * 4;
  std::ofstream(folder / "w.bin").close();
  fs::resize_file(folder / "w.bin", static_cast<uintmax_t>(bytes));
  GraphMaker g;
  g.input("x", {1, 4, rows});
  auto& w = g.float_initializer("w", {1});
  w.clear_dims();
  w.add_dims(rows);
  w.add_dims(columns);
  ExternalModel::reference(w, {{"location", "w.bin"}, {"length", std::to_string(bytes)}});
  g.node("MatMul", "fc", {"x", "w"}, "y");
  g.output("y", {1, 4, columns});
  const Model model = import_onnx(g.write_to(folder / "model.onnx"));
  REQUIRE(model.layers.size() == 1);
  CHECK(model.layers[0].macs == 4.0 * rows * columns);
  CHECK(model.layers[0].param_bytes == static_cast<double>(bytes));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  CHECK(usage.ru_maxrss * 1024.0 < bytes / 4); // Linux reports kilobytes
  fs::remove_all(folder);
}

TEST_CASE("bad external data references are input errors naming the tensor", "[onnx][external][errors]")
{
  // Each case: the weight's reference, and what the error says (the weight's 512 bytes are at offset 0 of data.bin).
  const fs::path outside = fs::temp_directory_path() / "pipesplit_external_outside.bin";
  std::ofstream(outside, std::ios::binary) << std::string(4096, '\0');
  const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>> cases = {
      {{{"location", "absent.bin"}}, "absent.bin' is missing"},
      {{{"offset", "0"}}, "external data without a 'location'"},
      {{{"location", outside.string()}}, "is not a path relative to the model's folder"},
      {{{"location", "../pipesplit_external_outside.bin"}}, "leaves the model's folder"},
      {{{"location", "sub/../../pipesplit_external_outside.bin"}}, "leaves the model's folder"},
      {{{"location", "link.bin"}}, "leads out of the model's folder"},
      {{{"location", "sub"}}, "is not a regular file"},
      {{{"location", "data.bin"}, {"offset", "100"}}, "has 512 bytes, the tensor needs 512 from offset 100"},
      {{{"location", "data.bin"}, {"offset", "-4"}}, "external data 'offset' is '-4', not a byte count"},
      {{{"location", "data.bin"}, {"length", "12x"}}, "external data 'length' is '12x', not a byte count"},
      {{{"location", "data.bin"}, {"length", "100"}}, "length 100 bytes, the dimensions need 512 bytes"},
  };
  for (const auto& [entries, message] : cases) {
    ExternalModel model("bad");
    fs::create_directories(model.folder() / "sub");
    fs::create_symlink(outside, model.folder() / "link.bin");
    ExternalModel::externalize(model.weight(), model.folder() / "data.bin", 0, "data.bin");
    ExternalModel::reference(model.weight(), entries);
    const std::string path = model.write();
    INFO(message);
    CHECK_THAT(error_of([&] { import_onnx(path); }),
               Catch::Contains(path) && Catch::Contains("initializer 'w'") && Catch::Contains(message));
  }
}
