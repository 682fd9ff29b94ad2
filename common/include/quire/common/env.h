// Env: the file system and the clock as a long-running part of quire (the hot-folder watcher)
// sees them. Its work goes through an Env so that a test can put a fault-injecting one in the
// real one's place (tests/testing/fault_env.h) and try every crash point in-process.
//
// Env::Default() is the real one: POSIX calls and std::chrono::steady_clock; it lives as long as
// the program. Every Env is safe to use from several threads at once. Errors name the file and
// the operation, as those of quire/common/file.h do; callers add what the user should do.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "quire/common/status.h"

namespace quire {

// What is at a path, links not followed.
struct FileInfo {
  enum class Kind { kRegular, kFolder, kSymlink, kOther };
  Kind kind = Kind::kOther;
  int64_t size = 0;  // bytes
};

class Env {
 public:
  // A clock that only goes forward: for waits and timeouts, never for dates.
  using Clock = std::chrono::steady_clock;

  // The real file system and clock.
  static Env* Default();
  virtual ~Env() = default;

  // What is at `path`, without following a link. NotFound when there is nothing.
  virtual Result<FileInfo> LinkStatus(const std::string& path) = 0;
  // The whole file: see ReadFile in quire/common/file.h.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // A new or replaced file, never seen half-written, mode 0644: see WriteFileAtomically in
  // quire/common/file.h. Does not sync the folder.
  virtual Status WriteFileAtomically(const std::string& path, const std::string& contents) = 0;
  // Creates `folder` and the missing folders above it.
  virtual Status CreateFolders(const std::string& folder) = 0;
  // Renames `from` to `to`, replacing `to`. Unsupported when the two lie on different file
  // systems, where a rename cannot be done: copy, sync and remove instead.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Copies `from` to `to`, replacing what is at `to`; a symbolic link is copied as a link. Not
  // synced.
  virtual Status CopyFile(const std::string& from, const std::string& to) = 0;
  // Removes a file or link. NotFound when there is none.
  virtual Status RemoveFile(const std::string& path) = 0;
  // fsyncs a file's contents.
  virtual Status SyncFile(const std::string& path) = 0;
  // fsyncs a folder, so that names created, renamed or removed in it stay after a crash.
  virtual Status SyncFolder(const std::string& folder) = 0;

  virtual Clock::time_point Now() = 0;
};

}  // namespace quire
