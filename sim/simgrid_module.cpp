#include "sim/simgrid_module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace pipesplit::sim {

namespace {

// The executable's path through /proc (argv[0] may be relative, or a name found on PATH).
std::filesystem::path executable_path()
{
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error)
    throw std::runtime_error("cannot find the running executable (/proc/self/exe): " + error.message());
  return path;
}

bool inside(const std::filesystem::path& path, const std::filesystem::path& folder)
{
  const auto relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

} // namespace

std::string simgrid_module_path()
{
  // Installed: PIPESPLIT_MODULE_FROM_BIN is the module's folder relative to bin/ (cmake/install.cmake). In the build
  // tree (PIPESPLIT_BUILD_DIR), whose programs (pipesplit, the tests, the benchmarks) lie in several folders, the
  // module is at its top.
  const auto executable = executable_path();
  const auto installed =
      (executable.parent_path() / PIPESPLIT_MODULE_FROM_BIN / PIPESPLIT_MODULE_FILE).lexically_normal();
  std::error_code error; // the build tree as /proc/self/exe names it, through any symbolic link
  const std::filesystem::path build_dir = std::filesystem::weakly_canonical(PIPESPLIT_BUILD_DIR, error);
  if (!std::filesystem::exists(installed) && inside(executable, build_dir))
    return (build_dir / PIPESPLIT_MODULE_FILE).string();
  return installed.string();
}

const SimGridEntryPoints& simgrid_module()
{
  static const SimGridEntryPoints* entry_points = [] {
    const std::string path = simgrid_module_path();
    void* module           = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!module)
      throw std::runtime_error("cannot load pipesplit's SimGrid module: " + std::string(dlerror()));
    using Entry      = const SimGridEntryPoints* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(module, simgrid_entry_points_symbol));
    if (!entry)
      throw std::runtime_error(path + ": not pipesplit's SimGrid module (no " + simgrid_entry_points_symbol + ")");
    return entry();
  }();
  return *entry_points;
}

} // namespace pipesplit::sim
