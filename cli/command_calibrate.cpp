// pipesplit calibrate SCENARIO --host H: fit a device's speed (and per-op efficiencies) to measurements and write
// a calibration file that scenarios use with `calibration: FILE`.

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "measure/calibration_fit.hpp"
#include "models/model_file.hpp"
#include "models/profile_import.hpp"
#include "sim/loaded_scenario.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

ExitStatus calibrate_main(const Args& args)
{
  std::string scenario_path, host_name, measured, format = "csv", profile, apply_to, out;
  double whole_seconds = 0;
  int threads          = 0;
  po::options_description options("Options");
  options.add_options()("host", po::value(&host_name)->required(), "the device measured")(
      "whole-seconds", po::value(&whole_seconds), "one measured time of the whole model (the paper's method)")(
      "measured,m", po::value(&measured), "per-layer measurements (CSV or onnxruntime profile)")(
      "format", po::value(&format), "csv (default), onnxruntime, or model (a model file's profile)")(
      "profile", po::value(&profile), "which profile of the CSV or model file to fit (default: the only one)")(
      "threads", po::value(&threads), "threads of the measured runs (default: the scenario's, for the host)")(
      "apply-to", po::value(&apply_to), "host name or glob the calibration applies to (default: --host)")(
      "output,o", po::value(&out)->required(), "calibration file to write (an existing one is updated)");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit calibrate SCENARIO --host H (--whole-seconds T | --measured FILE) -o CALIBRATION.yaml\n"
      "Fit a device's effective speed (and, from per-layer times, per-op-type efficiencies) to measurements.";
  if (!parse_command_line(args, usage, options, &scenario_path, values))
    return ExitStatus::Ok;
  if ((whole_seconds > 0) == !measured.empty())
    throw InputError("command line", "", "give either --whole-seconds or --measured");
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
    std::vector<LayerMeasurement> measurements;
    if (format == "onnxruntime") {
      measurements =
          read_onnxruntime_profile(measured, loaded.model, profile.empty() ? host_name : profile, threads).measurements;
    } else if (format == "csv") {
      const auto profiles = read_profile_csv(measured, loaded.model);
      for (const auto& p : profiles)
        if (profile.empty() ? profiles.size() == 1 : p.name == profile)
          measurements = p.measurements;
      if (measurements.empty())
        throw InputError(measured, "device",
                         profile.empty() ? "several devices: choose one with --profile"
                                         : "no measurement for profile " + profile);
    } else if (format == "model") { // a model file's own measured profile (`pipesplit profile` writes them)
      const Model profiled = read_model_file(measured);
      if (profile.empty() && profiled.profiles.size() == 1)
        profile = profiled.profiles.begin()->first;
      if (!profiled.profiles.count(profile))
        throw InputError(measured, "profiles",
                         profile.empty() ? "several profiles: choose one with --profile"
                                         : "no profile named " + profile);
      for (const auto& m : profiled.profiles.at(profile))
        if (loaded.model.layer_index(m.layer) < 0)
          throw InputError(measured, "profiles." + profile,
                           fmt::format("layer '{}' is not in the scenario's model", m.layer));
      measurements = profiled.profiles.at(profile);
    } else {
      throw InputError("command line", "--format", fmt::format("expected csv, onnxruntime or model, got '{}'", format));
    }
    report = fit_per_layer(loaded.model, measurements, info, problem.compute);
  }

  std::cout << fmt::format("{} on {} ({} fit, {} threads)\n\n", loaded.model.name, info.name, report.method, threads);
  if (report.method == "whole-model") {
    std::cout << fmt::format("capacity K = total FLOP / time = {:.4g} FLOP/s (the paper's figure)\n",
                             report.capacity_flops);
  } else {
    Table table({"op", "layers", "measured", "predicted before", "predicted after", "efficiency"});
    for (const auto& op : report.ops)
      table.add({op.op, std::to_string(op.layers), format_seconds(op.measured_s), format_seconds(op.predicted_before_s),
                 format_seconds(op.predicted_after_s), fmt::format("{:.3f}", op.efficiency)});
    table.print(std::cout);
    std::cout << fmt::format("\nfit error per layer: relative RMS {:.1f}%, largest {:.1f}%; total time {:+.2f}%\n",
                             100 * report.relative_rms_error, 100 * report.max_relative_error,
                             100 * report.total_relative_error);
    if (report.unmodelled_s > 0)
      std::cout << fmt::format("{} of measured time in layers without FLOP (data movement) is not modelled\n",
                               format_seconds(report.unmodelled_s));
  }
  std::cout << fmt::format("core speed {:.4g} FLOP/s per core (platform: {:.4g})\n",
                           *report.calibration.core_speed_flops, info.core_speed_flops);

  Calibration calibration;
  if (std::filesystem::exists(out))
    calibration = read_calibration_file(out);
  const std::string pattern = apply_to.empty() ? host_name : apply_to;
  if (!calibration.hosts.count(pattern))
    calibration.order.push_back(pattern);
  calibration.hosts[pattern] = report.calibration;
  std::ofstream file(out);
  file << calibration_to_yaml(calibration);
  if (!file)
    throw InputError(out, "", "cannot write the calibration file");
  std::cout << fmt::format("wrote {} (hosts {}); use it with `calibration: {}` in a scenario\n", out, pattern, out);
  return ExitStatus::Ok;
}

} // namespace pipesplit::cli
