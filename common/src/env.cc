#include "quire/common/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "quire/common/file.h"

namespace quire {
namespace fs = std::filesystem;

namespace {

Status ErrnoError(const std::string& what, int error) {
  return Status::IoError(what + ": " + std::strerror(error));
}

class PosixEnv final : public Env {
 public:
  Result<FileInfo> LinkStatus(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return Status::NotFound(path + ": no such file");
      return ErrnoError(path, errno);
    }
    FileInfo info;
    info.size = st.st_size;
    info.kind = S_ISREG(st.st_mode)   ? FileInfo::Kind::kRegular
                : S_ISDIR(st.st_mode) ? FileInfo::Kind::kFolder
                : S_ISLNK(st.st_mode) ? FileInfo::Kind::kSymlink
                                      : FileInfo::Kind::kOther;
    return info;
  }

  Result<std::string> ReadFile(const std::string& path) override { return quire::ReadFile(path); }

  Status WriteFileAtomically(const std::string& path, const std::string& contents) override {
    return quire::WriteFileAtomically(path, contents);
  }

  Status CreateFolders(const std::string& folder) override {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) return Status::IoError("cannot create " + folder + ": " + error.message());
    return Status::Ok();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
    const std::string what = "cannot move " + from + " to " + to;
    if (errno == EXDEV) return Status::Unsupported(what + ": they are on different file systems");
    return ErrnoError(what, errno);
  }

  Status CopyFile(const std::string& from, const std::string& to) override {
    std::error_code error;
    if (fs::is_symlink(fs::symlink_status(from, error))) {
      fs::remove(to, error);  // a link is only copied to a free name
      if (!error) fs::copy_symlink(from, to, error);
    } else if (!error) {
      fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
    }
    if (error) return Status::IoError("cannot copy " + from + " to " + to + ": " + error.message());
    return Status::Ok();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) == 0) return Status::Ok();
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return ErrnoError("cannot delete " + path, errno);
  }

  Status SyncFile(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const int error = fd < 0 || ::fsync(fd) != 0 ? errno : 0;
    if (fd >= 0) ::close(fd);
    if (error != 0) return ErrnoError("cannot sync " + path, error);
    return Status::Ok();
  }

  Status SyncFolder(const std::string& folder) override { return quire::SyncFolder(folder); }

  Clock::time_point Now() override { return Clock::now(); }
};

}  // namespace

Env* Env::Default() {
  static Env* const env = new PosixEnv;  // never destroyed: threads may outlive main()
  return env;
}

}  // namespace quire
