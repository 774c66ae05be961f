#pragma once
// A small tmpfs for tests of full disks and read-only folders (mounting needs root: check geteuid() first).

#include <sys/mount.h>

#include <filesystem>
#include <string>

namespace pipesplit::test {

// A tmpfs of `options` (e.g. "size=64k") at a fresh folder named after `name`, unmounted when the test ends.
class SmallDisk {
public:
  SmallDisk(const std::string& name, const std::string& options)
      : dir_(std::filesystem::temp_directory_path() / ("pipesplit_small_disk_" + name))
  {
    umount(dir_.c_str());
    std::filesystem::create_directories(dir_);
    mounted_ = mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallDisk()
  {
    if (mounted_)
      umount(dir_.c_str());
  }
  bool mounted() const { return mounted_; }
  const std::filesystem::path& dir() const { return dir_; }
  void remount_read_only() { mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr); }

private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};

} // namespace pipesplit::test
