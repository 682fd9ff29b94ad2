// PowerLossFs: RocksDB's real file system with a power switch, to test in-process what an archive
// keeps when the machine loses power: what it synced, and nothing else. Give it to the archive
// through RocksArchive::Open, as NewPowerLossEnv(fs).
//
// Every write goes to the real disk, while this remembers what is not durable yet; syncs are only
// recorded, since the real disk never loses power here.
// CutPower() stops the disk: from then on every write, sync, rename, creation and deletion fails
// with an IOError and changes nothing, while closing files and unlocking still work, so that the
// dying archive can be destroyed. RestorePower(), once nothing is open through this any more,
// leaves the disk as the machine finds it when it starts again, and lets writes through:
//  - a file's bytes after its last Sync or Fsync are gone (RangeSync is no sync);
//  - a name made since its folder was last synced (FSDirectory::Fsync) is gone: a new file, folder
//    or link is removed, and a rename is undone, bringing back what it replaced as it was synced.
//    A rename is durable once the folder of its new name is synced.
//
// Not modelled: a deletion is durable at once, where a real disk might bring the file back;
// unsynced bytes are lost whole, never torn or reordered; files written otherwise than by
// this (std::filesystem, the info log of NewLogger, ReuseWritableFile and NewRandomRWFile, which
// the archive's options never use) and files present before, or when power last came back, count
// as synced. That is the strict POSIX reading, stricter than ext4, whose journal makes a folder
// sync durable for every name changed before it.
//
// Safe to use from several threads: a write holds a lock while it runs, so the power never goes
// off in the middle of one.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace quire::store::testing {

class PowerLossFs final : public rocksdb::FileSystemWrapper {
 public:
  PowerLossFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "PowerLossFs"; }

  // The power goes off now.
  void CutPower();
  // The power goes off just before the nth step from now (n >= 1), a step being a sync of a file or
  // a folder, or a deletion. The disk keeps only what those made durable, so cutting before each
  // step in turn reaches every state a power loss can leave.
  void CutPowerBeforeStep(int n);
  bool power_cut() const;
  // The disk as the machine finds it when it starts again, as the top of this file says; the
  // power is on. REQUIRES: nothing open through this file system.
  void RestorePower();

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus NewDirectory(const std::string& path, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* folder,
                                 rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus DeleteFile(const std::string& path, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus Truncate(const std::string& path, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus CreateDir(const std::string& path, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& path, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* debug) override;
  rocksdb::IOStatus DeleteDir(const std::string& path, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override;

 private:
  class File;
  class Folder;

  // A file's length as written and as synced; shared with the file while it is open.
  struct Content {
    uint64_t size = 0;
    uint64_t synced = 0;
  };
  // A name made since its folder was last synced: `path` created, or renamed from `from`.
  struct NameChange {
    std::string path;
    std::optional<std::string> from{};
    // What the rename replaced, as durable: a file's synced bytes, or nothing for an empty folder,
    // and the unsynced names that made it (they share this one's folder, so its fate).
    std::optional<std::string> replaced_file{};
    bool replaced_folder = false;
    std::vector<NameChange> replaced_names{};
  };

  // Runs `write` (which records its effect when it succeeds) under mu_, unless the power is off;
  // `step` counts it for CutPowerBeforeStep.
  rocksdb::IOStatus Change(const std::string& what, bool step,
                           const std::function<rocksdb::IOStatus()>& write);
  // The following REQUIRE mu_ held.
  rocksdb::IOStatus OpenWritable(const std::string& path, bool reopen,
                                 const rocksdb::FileOptions& options,
                                 std::unique_ptr<rocksdb::FSWritableFile>* file,
                                 rocksdb::IODebugContext* debug);
  rocksdb::IOStatus MakeFolder(const std::string& path, bool only_if_missing,
                               const rocksdb::IOOptions& options, rocksdb::IODebugContext* debug);
  // A deletion, durable at once: a step for CutPowerBeforeStep.
  rocksdb::IOStatus Remove(const std::string& verb, const std::string& path,
                           const std::function<rocksdb::IOStatus()>& remove);
  void FolderSynced(const std::string& folder);
  // Forgets the unsynced names that now end at `path`, which is gone.
  void Forget(const std::string& path);
  // Files and names at `from` or below it move to `to`.
  void MoveNames(const std::string& from, const std::string& to);
  static void Move(NameChange& change, const std::string& from, const std::string& to);
  void Undo(const NameChange& change);

  mutable std::mutex mu_;
  bool power_ = true;                                      // guarded by mu_
  int steps_to_cut_ = 0;                                   // guarded by mu_; 0: none planned
  std::map<std::string, std::shared_ptr<Content>> files_;  // guarded by mu_; by path
  std::vector<NameChange> unsynced_names_;                 // guarded by mu_; oldest first
};

// An Env whose files go through `fs`, and whose clock does not sleep: RocksDB waits a second after
// each failed flush before it tries again, in vain once the power is off.
std::unique_ptr<rocksdb::Env> NewPowerLossEnv(const std::shared_ptr<PowerLossFs>& fs);

}  // namespace quire::store::testing
