// pipesplit calibrate SCENARIO --host H: fit a device's speed (and per-op efficiencies) to measurements and write
// a calibration file that scenarios use with `calibration: FILE`.

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "core/error.hpp"
#include "core/readable_output.hpp"
#include "core/units.hpp"
#include "measure/calibration_fit.hpp"
#include "measure/traffic_fit.hpp"
#include "models/model_file.hpp"
#include "models/profile_import.hpp"
#include "sim/loaded_scenario.hpp"

#include <fmt/format.h>

#include <cmath>

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

namespace {

// A model file's own measured profile (`pipesplit profile` writes them): `profile`, or the only one.
std::vector<LayerMeasurement> model_file_measurements(const std::string& file, std::string profile, const Model& model)
{
  const Model profiled = read_model_file(file);
  if (profile.empty() && profiled.profiles.size() == 1)
    profile = profiled.profiles.begin()->first;
  if (!profiled.profiles.count(profile))
    throw InputError(file, "profiles",
                     profile.empty() ? "several profiles: choose one with --profile" : "no profile named " + profile);
  for (const auto& m : profiled.profiles.at(profile))
    if (model.layer_index(m.layer) < 0)
      throw InputError(file, "profiles." + profile, fmt::format("layer '{}' is not in the scenario's model", m.layer));
  return profiled.profiles.at(profile);
}

// The per-layer measurements of `profile` (the host's name when empty) in a CSV file or an onnxruntime profile.
std::vector<LayerMeasurement> read_measurements(const std::string& file, const std::string& format,
                                                const std::string& profile, const std::string& host_name,
                                                const Model& model, int threads)
{
  if (format == "onnxruntime")
    return read_onnxruntime_profile(file, model, profile.empty() ? host_name : profile, threads).measurements;
  if (format == "model")
    return model_file_measurements(file, profile, model);
  if (format != "csv")
    throw InputError("command line", "--format", fmt::format("expected csv, onnxruntime or model, got '{}'", format));
  const auto profiles = read_profile_csv(file, model);
  for (const auto& p : profiles)
    if (profile.empty() ? profiles.size() == 1 : p.name == profile)
      return p.measurements;
  throw InputError(file, "device",
                   profile.empty() ? "several devices: choose one with --profile"
                                   : "no measurement for profile " + profile);
}

void print_fit(const FitReport& report, const Model& model, const HostInfo& info, int threads)
{
  std::cout << fmt::format("{} on {} ({} fit, {} threads)\n\n", model.name, info.name, report.method, threads);
  if (report.method == "whole-model") {
    std::cout << fmt::format("capacity K = total FLOP / time = {:.4g} FLOP/s (the paper's figure)\n",
                             report.capacity_flops);
  } else {
    Table table({"op", "layers", "measured", "predicted before", "predicted after", "efficiency"});
    for (const auto& op : report.ops)
      table.add({op.op, std::to_string(op.layers), format_seconds(op.measured_s), format_seconds(op.predicted_before_s),
                 format_seconds(op.predicted_after_s),
                 std::isnan(op.efficiency) ? std::string("-") : fmt::format("{:.3f}", op.efficiency)});
    table.print(std::cout);
    if (report.method == "traffic")
      std::cout << fmt::format("\nmemory bandwidth {}, fixed cost per layer {}\n",
                               report.calibration.memory_bandwidth_Bps
                                   ? fmt::format("{:.4g} bytes/s", *report.calibration.memory_bandwidth_Bps)
                                   : std::string("not needed by the fit"),
                               format_seconds(*report.calibration.layer_overhead_s));
    std::cout << fmt::format("\nfit error per layer: relative RMS {:.1f}%, largest {:.1f}%; total time {:+.2f}%\n",
                             100 * report.relative_rms_error, 100 * report.max_relative_error,
                             100 * report.total_relative_error);
    if (report.unmodelled_s > 0)
      std::cout << fmt::format("{} of measured time in layers without FLOP (data movement) is not modelled\n",
                               format_seconds(report.unmodelled_s));
  }
  std::cout << fmt::format("core speed {:.4g} FLOP/s per core (platform: {:.4g})\n",
                           *report.calibration.core_speed_flops, info.core_speed_flops);
}

// Add (or replace) the figures of `pattern` in the calibration file `path`, creating it if need be.
void update_calibration_file(const std::string& path, const std::string& pattern, const HostCalibration& figures)
{
  Calibration calibration;
  if (std::filesystem::exists(path))
    calibration = read_calibration_file(path);
  if (!calibration.hosts.count(pattern))
    calibration.order.push_back(pattern);
  calibration.hosts[pattern] = figures;
  write_readable_file(path, calibration_to_yaml(calibration),
                      [](const std::string& written) { read_calibration_file(written); });
}

} // namespace

ExitStatus calibrate_main(const Args& args)
{
  std::string scenario_path, host_name, measured, format = "csv", profile, apply_to, out, fit = "per-op";
  double whole_seconds = 0;
  int threads          = 0;
  po::options_description options("Options");
  options.add_options()("host", po::value(&host_name)->required(), "the device measured")(
      "whole-seconds", po::value(&whole_seconds), "one measured time of the whole model (the paper's method)")(
      "measured,m", po::value(&measured), "per-layer measurements (CSV or onnxruntime profile)")(
      "format", po::value(&format), "csv (default), onnxruntime, or model (a model file's profile)")(
      "fit", po::value(&fit),
      "per-layer fit: per-op (a rate per op type, the default) or traffic (a core speed, a memory bandwidth and a "
      "fixed cost per layer)")("profile", po::value(&profile),
                               "which profile of the CSV or model file to fit (default: the only one)")(
      "threads", po::value(&threads), "threads of the measured runs (default: the scenario's, for the host)")(
      "apply-to", po::value(&apply_to), "host name or glob the calibration applies to (default: --host)")(
      "output,o", po::value(&out)->required(), "calibration file to write (an existing one is updated)");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit calibrate SCENARIO --host H (--whole-seconds T | --measured FILE [--fit per-op|traffic])\n"
      "       -o CALIBRATION.yaml\n"
      "Fit a device's effective speed (and, from per-layer times, per-op-type efficiencies) to measurements.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  if (!std::isfinite(whole_seconds) || whole_seconds < 0)
    throw InputError("command line", "--whole-seconds", "must be a finite number of seconds > 0");
  if ((whole_seconds > 0) == !measured.empty())
    throw InputError("command line", "", "give either --whole-seconds or --measured");
  if (fit != "per-op" && fit != "traffic")
    throw InputError("command line", "--fit", fmt::format("expected per-op or traffic, got '{}'", fit));
  if (whole_seconds > 0 && values.count("fit"))
    throw InputError("command line", "--fit", "fits per-layer times: give --measured, not --whole-seconds");
  const LoadedScenario loaded = load_scenario(scenario_path);
  const Problem& problem      = loaded.problem;
  const int host              = problem.platform.host_index(host_name, "--host");
  const HostInfo& info        = problem.host(host);
  if (threads == 0)
    threads = problem.default_threads(host);
  if (threads < 1 || threads > info.cores)
    throw InputError("command line", "--threads", fmt::format("{} has {} cores", info.name, info.cores));

  FitReport report;
  if (whole_seconds > 0) {
    report = fit_whole_model(loaded.model, info, problem.compute, threads, whole_seconds);
  } else {
    const auto measurements = read_measurements(measured, format, profile, host_name, loaded.model, threads);
    report                  = fit == "traffic" ? fit_traffic(loaded.model, measurements, info, problem.compute)
                                               : fit_per_layer(loaded.model, measurements, info, problem.compute);
  }
  print_fit(report, loaded.model, info, threads);
  const std::string pattern = apply_to.empty() ? host_name : apply_to;
  update_calibration_file(out, pattern, report.calibration);
  std::cout << fmt::format("wrote {} (hosts {}); use it with `calibration: {}` in a scenario\n", out, pattern, out);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
