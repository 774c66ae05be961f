#pragma once
// Fitting a device's figures to measurements.
//  - Whole model (the paper's method): one measured time T of the whole model on the device gives its capacity
//    K = total FLOP / T; pipesplit turns it into the per-core speed that makes the cost model predict T exactly with
//    the threads used (Amdahl's factors included).
//  - Per layer: measured seconds of many layers give, per op type, the effective rate by least squares on the
//    times (y = x / rate, x = FLOP / Amdahl speed-up at the measured thread count); the core speed is the rate of
//    the op type with the most FLOP, the others become efficiencies relative to it.

#include "core/model.hpp"
#include "core/platform.hpp"
#include "cost/compute_model.hpp"
#include "measure/calibration.hpp"
#include "measure/layer.hpp"

#include <string>
#include <vector>

namespace pipesplit::measure {

struct OpFit {
  std::string op;
  int layers                = 0;
  double flop               = 0;
  double measured_s         = 0; // sum over its layers
  double predicted_before_s = 0; // with the device's figures before the fit
  double predicted_after_s  = 0;
  double efficiency         = 1;
};

struct FitReport {
  std::string method; // "whole-model" or "per-layer"
  HostCalibration calibration;
  double capacity_flops = 0; // the paper's K: total FLOP / measured whole-model time (whole-model fit)
  std::vector<OpFit> ops;
  int layers                  = 0;
  double relative_rms_error   = 0; // per layer, after the fit
  double max_relative_error   = 0;
  double total_relative_error = 0; // sum of predicted over sum of measured, minus 1
  double unmodelled_s         = 0; // measured time of layers without FLOP (data movement)
};

FitReport fit_whole_model(const Model& model, const HostInfo& host, const ComputeModel& compute, int threads,
                          double measured_seconds);
// Measurements at any thread counts; layers must exist in the model (the caller has checked).
FitReport fit_per_layer(const Model& model, const std::vector<LayerMeasurement>& measurements, const HostInfo& host,
                        const ComputeModel& compute);

} // namespace pipesplit::measure
