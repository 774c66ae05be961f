#pragma once
// Fitting what FLOP alone miss (`calibrate --fit traffic`): each measured layer's seconds as
//   seconds = layer_overhead_s + (FLOP / core speed + bytes / memory bandwidth) / speed-up(op, threads)
// with bytes the tensors and weights the layer reads and writes (core::layer_traffic_bytes), by least squares on
// the layers' relative errors, the three figures kept >= 0. Depthwise and 1x1 convolutions on small maps, batch
// norm, activations, adds and copies move many bytes per FLOP; a model made of dense 3x3 convolutions (ResNet-50)
// still has enough of them to fit the three figures, which then hold for models with other shares of such layers.

#include "measure/calibration_fit.hpp"

namespace pipesplit::measure {

// Measurements at any thread counts; layers must exist in the model (the caller has checked).
FitReport fit_traffic(const Model& model, const std::vector<LayerMeasurement>& measurements, const HostInfo& host,
                      const ComputeModel& compute);

// Block of layer `index` alone, for the cost model's per-layer prediction.
Block layer_block(const Model& model, int index);

} // namespace pipesplit::measure
