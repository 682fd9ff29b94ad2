#include "watch_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "quire/common/file.h"

namespace quire::app {
namespace fs = std::filesystem;

namespace {

// Beside each failed file: why it failed, and what to do.
constexpr char kReasonSuffix[] = ".error.txt";

Status IoError(const std::string& what, const std::error_code& error) {
  return Status::IoError(what + ": " + error.message());
}

// Makes a new name, or a removed one, in `folder` durable.
Status SyncFile(const fs::path& file) {
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  const int error = fd < 0 || fsync(fd) != 0 ? errno : 0;
  if (fd >= 0) close(fd);
  if (error != 0) return Status::IoError("cannot sync " + file.string() + ": " + strerror(error));
  return Status::Ok();
}

// `dest`, or `dest` with " (2)", " (3)"... before its extension when that name is taken.
fs::path FreeName(const fs::path& dest) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(dest, error))) return dest;
  for (int n = 2;; ++n) {
    fs::path candidate = dest.parent_path() / (dest.stem().string() + " (" + std::to_string(n) +
                                               ")" + dest.extension().string());
    if (!fs::exists(fs::symlink_status(candidate, error))) return candidate;
  }
}

Status MakeParent(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) return IoError("cannot create " + path.parent_path().string(), error);
  return Status::Ok();
}

// Renames `from` to `to`, creating its folder; across file systems, copies, syncs and deletes.
// Syncs both folders.
Status MoveFile(const fs::path& from, const fs::path& to) {
  QUIRE_RETURN_IF_ERROR(MakeParent(to));
  std::error_code error;
  fs::rename(from, to, error);
  if (error == std::errc::cross_device_link) {
    error.clear();
    if (fs::is_symlink(fs::symlink_status(from, error))) {
      fs::copy_symlink(from, to, error);
    } else {
      fs::copy_file(from, to, error);
      if (!error) QUIRE_RETURN_IF_ERROR(SyncFile(to));
    }
    if (!error) fs::remove(from, error);
  }
  if (error) return IoError("cannot move " + from.string() + " to " + to.string(), error);
  QUIRE_RETURN_IF_ERROR(SyncFolder(to.parent_path()));
  return SyncFolder(from.parent_path());
}

// What the person who dropped the file can do about it.
std::string Advice(const Status& why) {
  switch (why.code()) {
    case Status::Code::kResourceExhausted:
      return "The file is over quire's limits (pixels, pages or size). Scan it at a lower "
             "resolution or split it into smaller documents.";
    case Status::Code::kIoError:
      return "quire could not read the file. Check that quire may read it (its permissions) and "
             "that the disk is sound.";
    case Status::Code::kInternal: return "This is a bug in quire; please report it with this file.";
    default:
      return "Check that the file is a PNG, JPEG, TIFF or PDF that opens in a viewer. A damaged "
             "or incomplete file must be scanned or exported again; an encrypted PDF must be "
             "saved without its password; a link must be replaced by the file itself.";
  }
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

std::string ErrorText(const std::string& name, const Status& why) {
  return "quire could not take this file from the hot folder.\n\nFile:  " + name +
         "\nWhen:  " + UtcNow() + "\nWhy:   " + why.message() + "\n\nWhat to do: " + Advice(why) +
         "\nThen put the file into the hot folder again; quire takes it from there.\n";
}

Result<fs::path> Absolute(const std::string& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) return IoError("cannot create the folder " + folder, error);
  fs::path path = fs::canonical(folder, error);
  if (error) return IoError("cannot resolve the folder " + folder, error);
  return path;
}

}  // namespace

Result<WatchFolders> WatchFolders::Make(const WatchOptions& options) {
  std::error_code error;
  if (!fs::is_directory(options.inbox, error)) {
    return Status::NotFound(options.inbox +
                            " is not a folder; create it, or name the hot folder to watch");
  }
  WatchFolders folders;
  folders.root = fs::canonical(options.inbox, error).string();
  if (error) return IoError("cannot resolve the folder " + options.inbox, error);
  QUIRE_ASSIGN_OR_RETURN(
      fs::path failed,
      Absolute(options.failed_dir.empty() ? folders.root + "/.failed" : options.failed_dir));
  folders.failed = failed.string();
  if (!options.keep_dir.empty()) {
    QUIRE_ASSIGN_OR_RETURN(fs::path keep, Absolute(options.keep_dir));
    folders.keep = keep.string();
  }
  if (folders.failed == folders.root || folders.keep == folders.root) {
    return Status::InvalidArgument("--failed and --keep must not be the hot folder itself");
  }
  return folders;
}

std::vector<std::string> WatchFolders::Excluded() const {
  std::vector<std::string> excluded = {failed};
  if (!keep.empty()) excluded.push_back(keep);
  return excluded;
}

std::string WatchFolders::Relative(const std::string& file) const {
  return fs::path(file).lexically_relative(root).string();
}

std::vector<std::string> WatchFolders::Tags(const std::string& file) const {
  std::vector<std::string> tags;
  for (const fs::path& part : fs::path(Relative(file)).parent_path()) tags.push_back(part.string());
  return tags;
}

Status WatchFolders::RemoveOriginal(const std::string& file) const {
  if (!keep.empty()) return MoveFile(file, FreeName(fs::path(keep) / Relative(file)));
  if (unlink(file.c_str()) != 0 && errno != ENOENT) {
    return Status::IoError("cannot delete " + file + ": " + strerror(errno) +
                           "; quire needs write permission on the hot folder");
  }
  return SyncFolder(fs::path(file).parent_path());
}

Status WatchFolders::MoveToFailed(const std::string& file, const Status& why) const {
  const fs::path dest = FreeName(fs::path(failed) / Relative(file));
  QUIRE_RETURN_IF_ERROR(MakeParent(dest));
  // The reason first: a crash between the two leaves the file in INBOX, to be redone.
  QUIRE_RETURN_IF_ERROR(
      WriteFileAtomically(dest.string() + kReasonSuffix, ErrorText(Relative(file), why)));
  return MoveFile(file, dest);
}

Result<std::vector<FailedFile>> WatchFolders::ListFailed() const {
  std::vector<FailedFile> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(failed, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string path = it->path().string();
    if (!it->is_regular_file() || path.ends_with(kReasonSuffix)) continue;
    FailedFile file;
    file.name = it->path().lexically_relative(failed).string();
    Result<std::string> reason = ReadFile(path + kReasonSuffix);
    file.reason = reason.ok() ? *reason : "";
    struct stat st;
    if (stat(path.c_str(), &st) == 0) file.time = st.st_mtime;
    files.push_back(std::move(file));
  }
  if (error) return IoError("cannot list the failed folder " + failed, error);
  std::sort(files.begin(), files.end(),
            [](const FailedFile& a, const FailedFile& b) { return a.time > b.time; });
  return files;
}

Result<fs::path> WatchFolders::FailedPath(const std::string& name) const {
  const fs::path path = (fs::path(failed) / name).lexically_normal();
  const std::string relative = path.lexically_relative(failed).string();
  std::error_code error;
  if (name.empty() || relative.empty() || relative.starts_with("..") ||
      path.string().ends_with(kReasonSuffix) || !fs::is_regular_file(path, error)) {
    return Status::NotFound("no failed file " + name + " in " + failed);
  }
  return path;
}

Status WatchFolders::RetryFailed(const std::string& name) const {
  QUIRE_ASSIGN_OR_RETURN(fs::path from, FailedPath(name));
  const fs::path to = FreeName(fs::path(root) / name);
  QUIRE_RETURN_IF_ERROR(MakeParent(to));
  // The reason goes first: once the file is back, the watcher may fail it again at once, under
  // the same name, and its new reason must stay.
  std::error_code ignored;
  fs::remove(from.string() + kReasonSuffix, ignored);
  return MoveFile(from, to);
}

Status WatchFolders::DiscardFailed(const std::string& name) const {
  QUIRE_ASSIGN_OR_RETURN(fs::path path, FailedPath(name));
  std::error_code error;
  fs::remove(path, error);
  if (error) return IoError("cannot delete " + path.string(), error);
  fs::remove(path.string() + kReasonSuffix, error);
  return SyncFolder(path.parent_path());
}

Result<std::string> ReadOriginal(const std::string& file, int64_t max_bytes) {
  struct stat st;
  if (lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(file + ": no such file");
    return Status::IoError(file + ": " + strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::InvalidArgument(
        "it is a symbolic link; quire does not follow links, so that only files put into the hot "
        "folder are taken");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("it is not a regular file (a FIFO, socket or device)");
  }
  if (st.st_size > max_bytes) {
    return Status::ResourceExhausted("it is " + std::to_string(st.st_size) +
                                     " bytes, over the limit of " + std::to_string(max_bytes));
  }
  return ReadFile(file);
}

}  // namespace quire::app
