// pipesplit model import|profile: bring a network (ONNX) and measurements (CSV, onnxruntime's profile) into
// pipesplit's model file format.

#include "cli/command.hpp"
#include "core/error.hpp"
#include "models/model_file.hpp"
#include "models/onnx/onnx_import.hpp"
#include "models/profile_import.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include <iostream>

namespace po = boost::program_options;

namespace pipesplit::cli {

// "ids=1x128": the input's name and its shape, batch included.
static std::pair<std::string, Shape> parse_input_shape(const std::string& text)
{
  const auto equals = text.find('=');
  const auto fail   = [&text]() {
    return InputError("command line", "--input", fmt::format("expected NAME=SHAPE such as ids=1x128, got '{}'", text));
  };
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
    throw fail();
  Shape shape;
  for (size_t start = equals + 1; start <= text.size();) {
    const size_t end      = std::min(text.find('x', start), text.size());
    const std::string dim = text.substr(start, end - start);
    if (dim.empty() || dim.size() > 9 || dim.find_first_not_of("0123456789") != std::string::npos ||
        std::stol(dim) == 0)
      throw fail();
    shape.push_back(std::stol(dim));
    start = end + 1;
  }
  return {text.substr(0, equals), shape};
}

// "importing FILE: reading 512 of 1226 MB (1.3 s)", rewritten in place at most ten times a second.
static ImportObserver import_progress_line(const std::string& file, std::chrono::steady_clock::time_point start)
{
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [file, start, last](const ImportProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(100) && p.done < p.total)
      return;
    *last                = now;
    const std::string at = p.step == "reading" ? fmt::format("reading {:.0f} of {:.0f} MB", p.done / 1e6, p.total / 1e6)
                           : p.step == "shapes" ? std::string("propagating shapes and constants")
                                                : fmt::format("{} {:.0f} of {:.0f} nodes", p.step, p.done, p.total);
    std::cerr << fmt::format("\rimporting {}: {} ({:.1f} s)\033[K", file, at,
                             std::chrono::duration<double>(now - start).count())
              << std::flush;
  };
}

static ExitStatus model_import_main(const Args& args)
{
  std::string onnx_path, out;
  std::vector<std::string> inputs;
  po::options_description options("Options");
  options.add_options()("output,o", po::value(&out)->required(), "the model file to write (-: stdout)")(
      "input", po::value(&inputs),
      "NAME=SHAPE (as 1x3x224x224, batch 1): sets the dimensions the export left symbolic");
  po::variables_map values;
  const std::string usage = "Usage: pipesplit model import FILE.onnx [--input NAME=SHAPE] -o MODEL.yaml\n"
                            "Import an ONNX network: shapes and constants propagated at batch 1, FLOP and bytes from "
                            "the shapes.";
  if (!parse_command_line(args, usage, options, &onnx_path, values))
    return ExitStatus::Ok;
  InputShapes input_shapes;
  for (const auto& text : inputs)
    input_shapes.insert(parse_input_shape(text));
  // Large exports take seconds to parse and fold: a progress line on a terminal (stderr), nothing when piped.
  const bool terminal = isatty(STDERR_FILENO);
  const auto start    = std::chrono::steady_clock::now();
  const Model model =
      import_onnx(onnx_path, input_shapes, terminal ? import_progress_line(onnx_path, start) : ImportObserver());
  if (terminal)
    std::cerr << fmt::format("\rimporting {}: done in {:.1f} s\033[K\n", onnx_path,
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  write_model_file(model, out);
  text_output(out) << fmt::format("{}: {} layers, {:.4g} G MAC, {:.4g} M parameters, input {}; wrote {}\n", model.name,
                                  model.layers.size(), model.total_macs() / 1e9, model.total_params() / 1e6,
                                  shape_to_string(model.input_shape), out);
  return ExitStatus::Ok;
}

static ExitStatus model_profile_main(const Args& args)
{
  std::string model_name, measured, format = "csv", profile, out;
  int threads = 0;
  po::options_description options("Options");
  options.add_options()("measured,m", po::value(&measured)->required(), "the measurements file")(
      "format", po::value(&format), "csv (default: layer,device,threads,seconds,repeats) or onnxruntime")(
      "profile", po::value(&profile), "profile name for onnxruntime measurements (the CSV names its own)")(
      "threads", po::value(&threads),
      "intra-op threads of the onnxruntime session (default: from the profile's thread statistics, else 1)")(
      "output,o", po::value(&out)->required(), "the model file to write, with the measurements (-: stdout)");
  po::variables_map values;
  const std::string usage =
      "Usage: pipesplit model profile MODEL --measured FILE [--format csv|onnxruntime] [--profile NAME]\n"
      "                               [--threads N] -o MODEL.yaml\n"
      "Attach measured per-layer times to a model (a zoo name or a model file).";
  if (!parse_command_line(args, usage, options, &model_name, values))
    return ExitStatus::Ok;
  Model model = load_model(model_name);
  std::vector<ImportedProfile> profiles;
  if (format == "csv") {
    profiles = read_profile_csv(measured, model);
  } else if (format == "onnxruntime") {
    if (profile.empty())
      throw InputError("command line", "--profile", "name the profile the onnxruntime measurements belong to");
    if (threads < 0)
      throw InputError("command line", "--threads", "must be >= 1");
    profiles.push_back(read_onnxruntime_profile(measured, model, profile, threads));
  } else {
    throw InputError("command line", "--format", fmt::format("expected csv or onnxruntime, got '{}'", format));
  }
  for (const auto& p : profiles) {
    merge_profile(model, p);
    text_output(out) << fmt::format("profile {}: {} measured layers\n", p.name, p.measurements.size());
  }
  model.validate();
  write_model_file(model, out);
  text_output(out) << fmt::format("wrote {} ({} layers)\n", out, model.layers.size());
  return ExitStatus::Ok;
}

ExitStatus model_main(const Args& args)
{
  const std::string usage = "Usage: pipesplit model profile MODEL --measured FILE -o MODEL.yaml\n"
                            "       pipesplit model import FILE.onnx -o MODEL.yaml";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage << '\n';
    return args.empty() ? ExitStatus::BadInput : ExitStatus::Ok;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "profile")
    return model_profile_main(rest);
  if (args[0] == "import")
    return model_import_main(rest);
  throw InputError("command line", "", fmt::format("unknown 'model' action '{}'\n{}", args[0], usage));
}

} // namespace pipesplit::cli
