// FaultEnv: the real Env (Env::Default()) with faults injected, to test in-process what the
// hot-folder watcher does when the file system fails under it or the process dies mid-way.
//
//   FailNth(op, n)  the nth call of `op` (from 1) fails with an IoError, without being done;
//   CrashAt(n)      the nth file operation of any kind, and every one after it, fails without
//                   being done: the files stay as a process that died there left them (a copy
//                   it died in holds the first half of the file's bytes). Only the
//                   Env's operations stop; the archive's own writes (RocksDB) go on, which the
//                   SIGKILL tests in tests/e2e/watch_test.cc cover;
//   CrossDevice()   renames between two folders answer that the names lie on different file
//                   systems, so moves copy, sync and remove;
//   Advance(d)      the clock jumps forward by d.
// Now() is not a file operation and never fails. Safe to use from several threads.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "quire/common/env.h"

namespace quire::testing {

class FaultEnv final : public Env {
 public:
  enum class Op {
    kLinkStatus,
    kReadFile,
    kWriteFileAtomically,
    kCreateFolders,
    kRenameFile,
    kCopyFile,
    kRemoveFile,
    kSyncFile,
    kSyncFolder
  };

  void FailNth(Op op, int n) {
    std::lock_guard lock(mu_);
    fail_nth_[op] = n;
  }
  void CrashAt(int n) {
    std::lock_guard lock(mu_);
    crash_at_ = n;
  }
  void CrossDevice() {
    std::lock_guard lock(mu_);
    cross_device_ = true;
  }
  void Advance(Clock::duration d) {
    std::lock_guard lock(mu_);
    offset_ += d;
  }

  // File operations asked for so far, the failed ones included.
  int operations() const {
    std::lock_guard lock(mu_);
    return operations_;
  }
  bool crashed() const {
    std::lock_guard lock(mu_);
    return crashed_;
  }

  Result<FileInfo> LinkStatus(const std::string& path) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kLinkStatus, path));
    return real_->LinkStatus(path);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kReadFile, path));
    return real_->ReadFile(path);
  }
  Status WriteFileAtomically(const std::string& path, const std::string& contents) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kWriteFileAtomically, path));
    return real_->WriteFileAtomically(path, contents);
  }
  Status CreateFolders(const std::string& folder) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kCreateFolders, folder));
    return real_->CreateFolders(folder);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kRenameFile, from + " to " + to));
    {
      std::lock_guard lock(mu_);
      if (cross_device_ &&
          std::filesystem::path(from).parent_path() != std::filesystem::path(to).parent_path()) {
        return Status::Unsupported("cannot move " + from + " to " + to +
                                   ": they are on different file systems");
      }
    }
    return real_->RenameFile(from, to);
  }
  Status CopyFile(const std::string& from, const std::string& to) override {
    const Status entered = Enter(Op::kCopyFile, from + " to " + to);
    if (entered.ok()) return real_->CopyFile(from, to);
    if (CrashedHere()) {  // what a process that died while copying leaves
      Result<std::string> bytes = real_->ReadFile(from);
      if (bytes.ok()) (void)real_->WriteFileAtomically(to, bytes->substr(0, bytes->size() / 2));
    }
    return entered;
  }
  Status RemoveFile(const std::string& path) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kRemoveFile, path));
    return real_->RemoveFile(path);
  }
  Status SyncFile(const std::string& path) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kSyncFile, path));
    return real_->SyncFile(path);
  }
  Status SyncFolder(const std::string& folder) override {
    QUIRE_RETURN_IF_ERROR(Enter(Op::kSyncFolder, folder));
    return real_->SyncFolder(folder);
  }

  Clock::time_point Now() override {
    std::lock_guard lock(mu_);
    return real_->Now() + offset_;
  }

 private:
  // Whether the last operation was the one CrashAt named.
  bool CrashedHere() const {
    std::lock_guard lock(mu_);
    return crash_at_ > 0 && operations_ == crash_at_;
  }

  static const char* Verb(Op op) {
    switch (op) {
      case Op::kLinkStatus: return "cannot look at";
      case Op::kReadFile: return "cannot read";
      case Op::kWriteFileAtomically: return "cannot write";
      case Op::kCreateFolders: return "cannot create";
      case Op::kRenameFile: return "cannot move";
      case Op::kCopyFile: return "cannot copy";
      case Op::kRemoveFile: return "cannot delete";
      case Op::kSyncFile:
      case Op::kSyncFolder: return "cannot sync";
    }
    return "cannot";
  }

  // Counts the operation; an error, worded as the real Env's are, when it is to fail.
  Status Enter(Op op, const std::string& what) {
    Status fault;
    {
      std::lock_guard lock(mu_);
      ++operations_;
      const int nth = ++calls_[op];
      if (crash_at_ > 0 && operations_ >= crash_at_) {
        crashed_ = true;
        fault = Status::IoError(std::string(Verb(op)) + " " + what + ": crashed (injected)");
      } else if (auto it = fail_nth_.find(op); it != fail_nth_.end() && it->second == nth) {
        fault =
            Status::IoError(std::string(Verb(op)) + " " + what + ": Input/output error (injected)");
      }
    }
    return fault;
  }

  Env* const real_ = Env::Default();
  mutable std::mutex mu_;
  std::map<Op, int> fail_nth_;  // guarded by mu_
  std::map<Op, int> calls_;     // guarded by mu_
  int crash_at_ = 0;            // guarded by mu_; 0: never
  bool crashed_ = false;        // guarded by mu_
  bool cross_device_ = false;   // guarded by mu_
  int operations_ = 0;          // guarded by mu_
  Clock::duration offset_{};    // guarded by mu_
};

}  // namespace quire::testing
