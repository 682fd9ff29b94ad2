#include "quire/common/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace quire {
namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound(path + ": no such file; check the path");
  }
  if (fs::is_directory(path, ec)) {
    return Status::InvalidArgument(path + ": is a folder, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IoError(path + ": cannot open (" + std::strerror(errno) +
                           "); check its permissions");
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed (" + std::strerror(errno) + ")");
  return contents.str();
}

Status WriteFileAtomically(const std::string& path, const std::string& contents, mode_t mode) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());  // a leftover would keep its own mode
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::IoError(path + ": cannot create (" + std::strerror(errno) + ")");
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IoError(tmp + ": write failed (" + reason + ")");
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::IoError(path + ": cannot write (" + reason + ")");
  }
  return Status::Ok();
}

Status SyncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const int error = fd < 0 || ::fsync(fd) != 0 ? errno : 0;
  if (fd >= 0) ::close(fd);
  if (error != 0) return Status::IoError("cannot sync " + folder + ": " + std::strerror(error));
  return Status::Ok();
}

}  // namespace quire
