#pragma once
// Measured per-layer times, imported into a model's profiles (Model::profiles) so the cost model uses them on the
// devices that name the profile (host property "profile").
//
// CSV (documented in the README), one measurement per line, header required:
//   layer,device,threads,seconds,repeats
//   stem.conv,pi4,4,0.0123,20
// `device` is the profile name (a device or a device type); `seconds` the mean over `repeats` runs.
//
// onnxruntime's profiling JSON (SessionOptions.enable_profiling): "Node" events named "<node>_kernel_time" with a
// duration in microseconds; every run of a node is averaged, and the node name is the layer name (as
// `pipesplit model import` names layers). The thread count is the caller's, or (threads = 0) read from the events'
// thread statistics: the main thread plus the intra-op pool's sub-threads that ran the node.

#include "core/model.hpp"
#include "models/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::models {

struct ImportedProfile {
  std::string name; // profile
  std::vector<LayerMeasurement> measurements;
};

// Throws InputError naming the file, line and field: unknown layer, negative duration, malformed line.
std::vector<ImportedProfile> read_profile_csv(const std::string& path, const Model& model);
ImportedProfile read_onnxruntime_profile(const std::string& path, const Model& model, const std::string& profile,
                                         int threads);

// Add (replace, for the same layer and thread count) measurements in the model.
void merge_profile(Model& model, const ImportedProfile& profile);

} // namespace pipesplit::models
