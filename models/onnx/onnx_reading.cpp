#include "models/onnx/onnx_reading.hpp"
#include "core/error.hpp"

#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <filesystem>
#include <fstream>

namespace pipesplit::models::onnx_import {

namespace {

// Passes a stream's buffers through, counting them.
class CountingStream : public google::protobuf::io::ZeroCopyInputStream {
public:
  CountingStream(google::protobuf::io::ZeroCopyInputStream& source, double total,
                 const std::function<void(double, double)>& on_bytes)
      : source_(source), total_(total), on_bytes_(on_bytes)
  {}
  bool Next(const void** data, int* size) override
  {
    const bool more = source_.Next(data, size);
    if (on_bytes_ && source_.ByteCount() >= next_report_) {
      on_bytes_(static_cast<double>(source_.ByteCount()), total_);
      next_report_ = source_.ByteCount() + report_every;
    }
    return more;
  }
  void BackUp(int count) override { source_.BackUp(count); }
  bool Skip(int count) override { return source_.Skip(count); }
  int64_t ByteCount() const override { return source_.ByteCount(); }

private:
  static constexpr int64_t report_every = 16 << 20;
  google::protobuf::io::ZeroCopyInputStream& source_;
  const double total_;
  const std::function<void(double, double)>& on_bytes_;
  int64_t next_report_ = 0;
};

} // namespace

onnx::ModelProto read_model_proto(const std::string& path, const std::function<void(double, double)>& on_bytes)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path, "", "cannot open the file");
  std::error_code error;
  const auto size    = std::filesystem::file_size(path, error);
  const double total = error ? 0.0 : static_cast<double>(size);
  google::protobuf::io::IstreamInputStream file(&in);
  CountingStream counted(file, total, on_bytes);
  onnx::ModelProto model;
  // Protocol buffers accept many byte strings as a message: one without a graph is no ONNX model either.
  if (!model.ParseFromZeroCopyStream(&counted) || model.graph().node_size() == 0)
    throw InputError(path, "", "not an ONNX model (does not parse as an onnx.ModelProto with a graph)");
  if (on_bytes)
    on_bytes(static_cast<double>(counted.ByteCount()), total);
  return model;
}

} // namespace pipesplit::models::onnx_import
