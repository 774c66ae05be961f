#include "measure/traffic_fit.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace pipesplit::measure {

namespace {

// One measured layer: y = c . x, x = (FLOP / speed-up, bytes / speed-up, 1), c = (1 / speed, 1 / bandwidth,
// overhead).
struct Point {
  std::string op;
  std::array<double, 3> x;
  double y;
  double before;
};

// Weighted least squares over the terms in `used` (the others 0): minimise sum ((c . x - y) / y)^2. Gaussian
// elimination of the normal equations; nullopt when they are singular or a coefficient comes out negative.
std::optional<std::array<double, 3>> solve(const std::vector<Point>& points, const std::array<bool, 3>& used)
{
  std::vector<int> terms;
  for (int j = 0; j < 3; ++j)
    if (used[j])
      terms.push_back(j);
  const size_t n = terms.size();
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0));
  for (const auto& p : points) {
    const double w = 1 / (p.y * p.y);
    for (size_t r = 0; r < n; ++r) {
      for (size_t c = 0; c < n; ++c)
        a[r][c] += w * p.x[terms[r]] * p.x[terms[c]];
      a[r][n] += w * p.x[terms[r]] * p.y;
    }
  }
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col]))
        pivot = r;
    if (!(std::abs(a[pivot][col]) > 0))
      return std::nullopt;
    std::swap(a[col], a[pivot]);
    for (size_t r = 0; r < n; ++r)
      if (r != col) {
        const double factor = a[r][col] / a[col][col];
        for (size_t c = col; c <= n; ++c)
          a[r][c] -= factor * a[col][c];
      }
  }
  std::array<double, 3> coefficients{0, 0, 0};
  for (size_t r = 0; r < n; ++r) {
    coefficients[terms[r]] = a[r][n] / a[r][r];
    if (!(coefficients[terms[r]] >= 0))
      return std::nullopt;
  }
  return coefficients;
}

double relative_squares(const std::vector<Point>& points, const std::array<double, 3>& c)
{
  double sum = 0;
  for (const auto& p : points) {
    const double e = (c[0] * p.x[0] + c[1] * p.x[1] + c[2] * p.x[2] - p.y) / p.y;
    sum += e * e;
  }
  return sum;
}

// Non-negative least squares over three terms: the best of the non-negative solutions on every subset of terms
// that keeps the FLOP term (an exact active-set search, 4 subsets).
std::array<double, 3> best_fit(const std::vector<Point>& points)
{
  std::optional<std::array<double, 3>> best;
  for (const auto& used : {std::array<bool, 3>{true, true, true}, std::array<bool, 3>{true, true, false},
                           std::array<bool, 3>{true, false, true}, std::array<bool, 3>{true, false, false}}) {
    const auto c = solve(points, used);
    if (c && (*c)[0] > 0 && (!best || relative_squares(points, *c) < relative_squares(points, *best)))
      best = c;
  }
  if (!best)
    throw InputError("calibration", "measurements", "the traffic fit found no positive FLOP rate");
  return *best;
}

} // namespace

Block layer_block(const Model& model, int index)
{
  const Layer& layer = model.layers[static_cast<size_t>(index)];
  Block block;
  block.first_layer = block.last_layer = index;
  block.flop_by_op[layer.op]           = layer.flop;
  block.bytes_by_op[layer.op]          = layer_traffic_bytes(model, index);
  return block;
}

FitReport fit_traffic(const Model& model, const std::vector<LayerMeasurement>& measurements, const HostInfo& host,
                      const ComputeModel& compute)
{
  std::vector<Point> points;
  for (const auto& m : measurements) {
    const int index = model.layer_index(m.layer);
    const Layer& l  = model.layers[static_cast<size_t>(index)];
    const double s  = compute.speedup(host, l.op, m.threads);
    if (m.seconds > 0)
      points.push_back({l.op,
                        {l.flop / s, layer_traffic_bytes(model, index) / s, 1},
                        m.seconds,
                        compute.block_seconds(layer_block(model, index), host, m.threads)});
  }
  if (points.empty())
    throw InputError("calibration", "measurements", "no measured layer took time");
  const auto c = best_fit(points);
  FitReport report;
  report.method                       = "traffic";
  report.calibration.core_speed_flops = 1 / c[0];
  if (c[1] > 0)
    report.calibration.memory_bandwidth_Bps = 1 / c[1];
  report.calibration.layer_overhead_s = c[2];
  std::map<std::string, OpFit> ops;
  double squares = 0, predicted_total = 0, measured_total = 0;
  for (const auto& p : points) {
    const double predicted = c[0] * p.x[0] + c[1] * p.x[1] + c[2];
    auto& fit              = ops[p.op];
    fit.op                 = p.op;
    ++fit.layers;
    fit.flop += p.x[0];
    fit.measured_s += p.y;
    fit.predicted_before_s += p.before;
    fit.predicted_after_s += predicted;
    fit.efficiency     = std::numeric_limits<double>::quiet_NaN(); // no per-op figure in this fit
    const double error = (predicted - p.y) / p.y;
    squares += error * error;
    report.max_relative_error = std::max(report.max_relative_error, std::abs(error));
    predicted_total += predicted;
    measured_total += p.y;
  }
  for (auto& [op, fit] : ops)
    report.ops.push_back(fit);
  report.layers                                = static_cast<int>(points.size());
  report.relative_rms_error                    = std::sqrt(squares / static_cast<double>(points.size()));
  report.total_relative_error                  = predicted_total / measured_total - 1;
  report.calibration.fit["method"]             = "traffic";
  report.calibration.fit["layers"]             = std::to_string(report.layers);
  report.calibration.fit["relative_rms_error"] = fmt::format("{:.4g}", report.relative_rms_error);
  return report;
}

} // namespace pipesplit::measure
