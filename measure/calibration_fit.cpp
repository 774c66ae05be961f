#include "measure/calibration_fit.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace pipesplit::measure {

// Seconds of a layer on `host` with `threads` under the analytic model.
static double layer_seconds(const Layer& layer, const HostInfo& host, const ComputeModel& compute, int threads)
{
  Block block;
  block.flop_by_op[layer.op] = layer.flop;
  return compute.block_seconds(block, host, threads);
}

FitReport fit_whole_model(const Model& model, const HostInfo& host, const ComputeModel& compute, int threads,
                          double measured_seconds)
{
  if (!(measured_seconds > 0))
    throw InputError("calibration", "seconds", "the measured time must be > 0");
  FitReport report;
  report.method         = "whole-model";
  report.capacity_flops = model.total_flop() / measured_seconds;
  double predicted      = 0;
  for (const auto& layer : model.layers)
    predicted += layer_seconds(layer, host, compute, threads);
  // Time scales as 1 / core speed: the speed that predicts the measurement.
  const double speed                       = host.core_speed_flops * predicted / measured_seconds;
  report.calibration.core_speed_flops      = speed;
  report.calibration.fit["method"]         = "whole-model";
  report.calibration.fit["threads"]        = std::to_string(threads);
  report.calibration.fit["measured_s"]     = fmt::format("{:.6g}", measured_seconds);
  report.calibration.fit["capacity_flops"] = fmt::format("{:.6g}", report.capacity_flops);
  report.layers                            = static_cast<int>(model.layers.size());
  report.total_relative_error              = 0;
  return report;
}

FitReport fit_per_layer(const Model& model, const std::vector<LayerMeasurement>& measurements, const HostInfo& host,
                        const ComputeModel& compute)
{
  FitReport report;
  report.method = "per-layer";
  struct Point {
    std::string op;
    double x; // FLOP-equivalent on one core of unit efficiency: FLOP / speed-up
    double y; // measured seconds
    double before;
  };
  std::vector<Point> points;
  for (const auto& m : measurements) {
    const Layer& layer = model.layers[model.layer_index(m.layer)];
    if (layer.flop <= 0) {
      report.unmodelled_s += m.seconds;
      continue;
    }
    points.push_back(Point{layer.op, layer.flop / compute.speedup(host, layer.op, m.threads), m.seconds,
                           layer_seconds(layer, host, compute, m.threads)});
  }
  if (points.empty())
    throw InputError("calibration", "measurements", "no measured layer has FLOP to fit");
  // Per op type, the least-squares rate: minimise sum (y - x / rate)^2 over 1 / rate.
  std::map<std::string, OpFit> ops;
  std::map<std::string, std::pair<double, double>> sums; // op -> (sum x y, sum x x)
  for (const auto& p : points) {
    auto& fit = ops[p.op];
    fit.op    = p.op;
    ++fit.layers;
    fit.flop += p.x;
    fit.measured_s += p.y;
    fit.predicted_before_s += p.before;
    sums[p.op].first += p.x * p.y;
    sums[p.op].second += p.x * p.x;
  }
  std::map<std::string, double> rate;
  for (const auto& [op, s] : sums)
    rate[op] = s.first > 0 ? s.second / s.first : std::numeric_limits<double>::infinity();
  const auto dominant                 = std::max_element(ops.begin(), ops.end(), [](const auto& a, const auto& b) {
                          return a.second.flop < b.second.flop;
                        })->first;
  const double speed                  = rate[dominant];
  report.calibration.core_speed_flops = speed;
  for (auto& [op, fit] : ops) {
    fit.efficiency = rate[op] / speed;
    if (op != dominant)
      report.calibration.op_efficiency[op] = fit.efficiency;
  }
  double squares = 0, predicted_total = 0, measured_total = 0;
  for (const auto& p : points) {
    const double predicted = p.x / rate[p.op];
    ops[p.op].predicted_after_s += predicted;
    predicted_total += predicted;
    measured_total += p.y;
    if (p.y > 0) {
      const double error = (predicted - p.y) / p.y;
      squares += error * error;
      report.max_relative_error = std::max(report.max_relative_error, std::abs(error));
    }
  }
  report.layers               = static_cast<int>(points.size());
  report.relative_rms_error   = std::sqrt(squares / static_cast<double>(points.size()));
  report.total_relative_error = measured_total > 0 ? predicted_total / measured_total - 1 : 0;
  for (auto& [op, fit] : ops)
    report.ops.push_back(fit);
  report.calibration.fit["method"]             = "per-layer";
  report.calibration.fit["layers"]             = std::to_string(report.layers);
  report.calibration.fit["relative_rms_error"] = fmt::format("{:.4g}", report.relative_rms_error);
  return report;
}

} // namespace pipesplit::measure
