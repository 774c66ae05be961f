#include "core/output_file.hpp"
#include "core/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace pipesplit::core {

namespace {

std::string system_error(const std::string& what)
{
  return what + ": " + std::strerror(errno);
}

// The temporary file's name: hidden, beside the target (a rename stays within one file system), unique per process.
std::string temporary_name(const std::string& path)
{
  const auto slash       = path.rfind('/');
  const std::string at   = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return at + "." + name + ".tmp-" + std::to_string(getpid());
}

void write_all(int fd, const std::string& content, const std::string& path)
{
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw InputError(path, "", system_error("cannot write"));
    done += static_cast<size_t>(n);
  }
}

} // namespace

void write_file_atomically(const std::string& path, const std::string& content)
{
  const std::string temporary = temporary_name(path);
  const int fd                = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InputError(path, "", system_error("cannot create"));
  try {
    write_all(fd, content, path);
    if (fsync(fd) != 0)
      throw InputError(path, "", system_error("cannot write"));
  } catch (...) {
    close(fd);
    unlink(temporary.c_str());
    throw;
  }
  if (close(fd) != 0) {
    unlink(temporary.c_str());
    throw InputError(path, "", system_error("cannot write"));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    unlink(temporary.c_str());
    throw InputError(path, "", system_error("cannot replace"));
  }
}

} // namespace pipesplit::core
