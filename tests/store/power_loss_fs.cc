#include "power_loss_fs.h"

#include <rocksdb/system_clock.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace quire::store::testing {
namespace {

namespace fs = std::filesystem;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

// One spelling per path, so that a file's path and its folder's compare equal.
std::string Normal(const std::string& path) {
  std::string normal = fs::path(path).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

std::string FolderOf(const std::string& path) { return fs::path(path).parent_path().string(); }

bool IsBelow(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/';
}

bool IsAtOrBelow(const std::string& path, const std::string& folder) {
  return path == folder || IsBelow(path, folder);
}

// `path`, at or below `from`, as it is named once `from` is renamed `to`.
std::string Moved(const std::string& path, const std::string& from, const std::string& to) {
  return to + path.substr(from.size());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The system's clock, whose sleeps return at once: RocksDB sleeps a second after each failed flush
// or compaction before it tries again, and a dying archive, all of whose writes fail, would wait
// for that when it closes. Sleeps while the power is on are for write stalls, which a test's
// small archive never meets.
class NoSleepClock final : public rocksdb::SystemClockWrapper {
 public:
  // One for the process, never destroyed, as the system's own: RocksDB keeps the clock of the first
  // database to use a block cache for that cache's statistics, and every archive in the process
  // shares one cache.
  static const std::shared_ptr<rocksdb::SystemClock>& Get() {
    static const auto* clock = new std::shared_ptr<rocksdb::SystemClock>(new NoSleepClock());
    return *clock;
  }
  const char* Name() const override { return "NoSleepClock"; }
  void SleepForMicroseconds(int) override {}

 private:
  NoSleepClock() : SystemClockWrapper(rocksdb::SystemClock::Default()) {}
};

class PowerLossEnv final : public rocksdb::EnvWrapper {
 public:
  explicit PowerLossEnv(const std::shared_ptr<PowerLossFs>& fs)
      : EnvWrapper(rocksdb::NewCompositeEnv(fs)) {
    // What RocksDB reads through GetFileSystem and GetSystemClock; the older calls forward to the
    // composite Env, whose files go through `fs` too.
    file_system_ = fs;
    system_clock_ = NoSleepClock::Get();
  }
  const char* Name() const override { return "PowerLossEnv"; }
};

}  // namespace

std::unique_ptr<rocksdb::Env> NewPowerLossEnv(const std::shared_ptr<PowerLossFs>& fs) {
  return std::make_unique<PowerLossEnv>(fs);
}

// A file open for writing: its writes and syncs go through PowerLossFs::Change.
class PowerLossFs::File final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  File(std::unique_ptr<rocksdb::FSWritableFile> file, PowerLossFs& fs, std::string path,
       std::shared_ptr<Content> content)
      : FSWritableFileOwnerWrapper(std::move(file)),
        fs_(fs),
        path_(std::move(path)),
        content_(std::move(content)) {}

  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  IODebugContext* debug) override {
    return Write(std::nullopt, data.size(), [&] { return target()->Append(data, options, debug); });
  }
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& verification,
                  IODebugContext* debug) override {
    return Write(std::nullopt, data.size(),
                 [&] { return target()->Append(data, options, verification, debug); });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* debug) override {
    return Write(offset, data.size(),
                 [&] { return target()->PositionedAppend(data, offset, options, debug); });
  }
  IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& verification,
                            IODebugContext* debug) override {
    return Write(offset, data.size(), [&] {
      return target()->PositionedAppend(data, offset, options, verification, debug);
    });
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* debug) override {
    return fs_.Change("truncate " + path_, /*step=*/false, [&] {
      IOStatus s = target()->Truncate(size, options, debug);
      if (s.ok()) Cut(*content_, size);
      return s;
    });
  }
  IOStatus Sync(const IOOptions&, IODebugContext*) override { return Synced(); }
  IOStatus Fsync(const IOOptions&, IODebugContext*) override { return Synced(); }
  // Starts writing dirty pages back, but promises nothing after a power loss.
  IOStatus RangeSync(uint64_t offset, uint64_t bytes, const IOOptions& options,
                     IODebugContext* debug) override {
    return fs_.Change("sync part of " + path_, /*step=*/false,
                      [&] { return target()->RangeSync(offset, bytes, options, debug); });
  }

  static void Cut(Content& content, uint64_t size) {
    content.size = size;
    content.synced = std::min(content.synced, size);
  }

 private:
  // Runs `write`, which puts `bytes` bytes at `offset` (at the end when none).
  IOStatus Write(std::optional<uint64_t> offset, size_t bytes,
                 const std::function<IOStatus()>& write) {
    return fs_.Change("write " + path_, /*step=*/false, [&] {
      const uint64_t start = offset.value_or(content_->size);
      IOStatus s = write();
      if (s.ok()) {
        content_->synced = std::min(content_->synced, start);
        content_->size = std::max(content_->size, start + bytes);
      }
      return s;
    });
  }

  IOStatus Synced() {
    return fs_.Change("sync " + path_, /*step=*/true, [&] {
      content_->synced = content_->size;
      return IOStatus::OK();
    });
  }

  PowerLossFs& fs_;
  const std::string path_;
  const std::shared_ptr<Content> content_;  // also in fs_.files_ until deleted
};

// A folder opened to be synced.
class PowerLossFs::Folder final : public rocksdb::FSDirectoryWrapper {
 public:
  Folder(std::unique_ptr<rocksdb::FSDirectory> folder, PowerLossFs& fs, std::string path)
      : FSDirectoryWrapper(std::move(folder)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions&, IODebugContext*) override { return Synced(); }
  IOStatus FsyncWithDirOptions(const IOOptions&, IODebugContext*,
                               const rocksdb::DirFsyncOptions&) override {
    return Synced();
  }

 private:
  IOStatus Synced() {
    return fs_.Change("sync the folder " + path_, /*step=*/true, [&] {
      fs_.FolderSynced(path_);
      return IOStatus::OK();
    });
  }

  PowerLossFs& fs_;
  const std::string path_;
};

void PowerLossFs::CutPower() {
  std::lock_guard lock(mu_);
  power_ = false;
}

void PowerLossFs::CutPowerBeforeStep(int n) {
  std::lock_guard lock(mu_);
  steps_to_cut_ = n;
}

bool PowerLossFs::power_cut() const {
  std::lock_guard lock(mu_);
  return !power_;
}

void PowerLossFs::RestorePower() {
  std::lock_guard lock(mu_);
  for (const auto& [path, content] : files_) {
    if (fs::exists(path) && fs::file_size(path) > content->synced) {
      fs::resize_file(path, content->synced);
    }
  }
  while (!unsynced_names_.empty()) {
    const NameChange change = std::move(unsynced_names_.back());
    unsynced_names_.pop_back();
    Undo(change);
  }
  files_.clear();
  power_ = true;
  steps_to_cut_ = 0;
}

IOStatus PowerLossFs::Change(const std::string& what, bool step,
                             const std::function<IOStatus()>& write) {
  std::lock_guard lock(mu_);
  if (step && steps_to_cut_ > 0 && --steps_to_cut_ == 0) power_ = false;
  if (!power_) return IOStatus::IOError(what + ": the power is off (injected)");
  return write();
}

IOStatus PowerLossFs::NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* file,
                                      IODebugContext* debug) {
  return Change("create " + path, /*step=*/false,
                [&] { return OpenWritable(path, /*reopen=*/false, options, file, debug); });
}

IOStatus PowerLossFs::ReopenWritableFile(const std::string& path,
                                         const rocksdb::FileOptions& options,
                                         std::unique_ptr<rocksdb::FSWritableFile>* file,
                                         IODebugContext* debug) {
  return Change("open " + path, /*step=*/false,
                [&] { return OpenWritable(path, /*reopen=*/true, options, file, debug); });
}

IOStatus PowerLossFs::OpenWritable(const std::string& raw_path, bool reopen,
                                   const rocksdb::FileOptions& options,
                                   std::unique_ptr<rocksdb::FSWritableFile>* file,
                                   IODebugContext* debug) {
  const std::string path = Normal(raw_path);
  std::error_code error;
  const bool existed = fs::exists(path, error);
  // A file reopened keeps what it holds; one created anew over an old one starts empty.
  const uint64_t kept = reopen && existed ? fs::file_size(path, error) : 0;
  IOStatus s = reopen ? target()->ReopenWritableFile(raw_path, options, file, debug)
                      : target()->NewWritableFile(raw_path, options, file, debug);
  if (!s.ok()) return s;
  std::shared_ptr<Content>& content = files_[path];
  if (!reopen || content == nullptr) content = std::make_shared<Content>(Content{kept, kept});
  if (!existed) unsynced_names_.push_back({.path = path});
  *file = std::make_unique<File>(std::move(*file), *this, path, content);
  return s;
}

IOStatus PowerLossFs::NewDirectory(const std::string& path, const IOOptions& options,
                                   std::unique_ptr<rocksdb::FSDirectory>* folder,
                                   IODebugContext* debug) {
  IOStatus s = target()->NewDirectory(path, options, folder, debug);
  if (s.ok()) *folder = std::make_unique<Folder>(std::move(*folder), *this, Normal(path));
  return s;
}

IOStatus PowerLossFs::RenameFile(const std::string& raw_from, const std::string& raw_to,
                                 const IOOptions& options, IODebugContext* debug) {
  const std::string from = Normal(raw_from), to = Normal(raw_to);
  return Change("rename " + from + " to " + to, /*step=*/false, [&] {
    NameChange change{.path = to, .from = from};
    std::error_code error;
    const fs::file_status replaced = fs::symlink_status(to, error);
    if (fs::is_directory(replaced)) {
      change.replaced_folder = true;  // rename(2) replaces only an empty one
    } else if (fs::exists(replaced)) {
      const auto tracked = files_.find(to);
      change.replaced_file = ReadFile(to);
      if (tracked != files_.end()) change.replaced_file->resize(tracked->second->synced);
    }
    IOStatus s = target()->RenameFile(raw_from, raw_to, options, debug);
    if (!s.ok()) return s;
    files_.erase(to);
    const auto made_replaced =
        std::stable_partition(unsynced_names_.begin(), unsynced_names_.end(),
                              [&](const NameChange& earlier) { return earlier.path != to; });
    change.replaced_names.assign(std::make_move_iterator(made_replaced),
                                 std::make_move_iterator(unsynced_names_.end()));
    unsynced_names_.erase(made_replaced, unsynced_names_.end());
    MoveNames(from, to);
    unsynced_names_.push_back(std::move(change));
    return s;
  });
}

IOStatus PowerLossFs::LinkFile(const std::string& raw_from, const std::string& raw_to,
                               const IOOptions& options, IODebugContext* debug) {
  const std::string from = Normal(raw_from), to = Normal(raw_to);
  return Change("link " + from + " to " + to, /*step=*/false, [&] {
    IOStatus s = target()->LinkFile(raw_from, raw_to, options, debug);
    if (!s.ok()) return s;
    if (const auto tracked = files_.find(from); tracked != files_.end()) {
      files_[to] = tracked->second;  // one file, two names
    }
    unsynced_names_.push_back({.path = to});
    return s;
  });
}

IOStatus PowerLossFs::DeleteFile(const std::string& path, const IOOptions& options,
                                 IODebugContext* debug) {
  return Remove("delete", path, [&] { return target()->DeleteFile(path, options, debug); });
}

IOStatus PowerLossFs::Truncate(const std::string& raw_path, size_t size, const IOOptions& options,
                               IODebugContext* debug) {
  const std::string path = Normal(raw_path);
  return Change("truncate " + path, /*step=*/false, [&] {
    IOStatus s = target()->Truncate(raw_path, size, options, debug);
    if (const auto tracked = files_.find(path); s.ok() && tracked != files_.end()) {
      File::Cut(*tracked->second, size);
    }
    return s;
  });
}

IOStatus PowerLossFs::CreateDir(const std::string& path, const IOOptions& options,
                                IODebugContext* debug) {
  return Change("create the folder " + path, /*step=*/false,
                [&] { return MakeFolder(path, /*only_if_missing=*/false, options, debug); });
}

IOStatus PowerLossFs::CreateDirIfMissing(const std::string& path, const IOOptions& options,
                                         IODebugContext* debug) {
  return Change("create the folder " + path, /*step=*/false,
                [&] { return MakeFolder(path, /*only_if_missing=*/true, options, debug); });
}

IOStatus PowerLossFs::MakeFolder(const std::string& raw_path, bool only_if_missing,
                                 const IOOptions& options, IODebugContext* debug) {
  const std::string path = Normal(raw_path);
  std::error_code error;
  const bool existed = fs::exists(path, error);
  IOStatus s = only_if_missing ? target()->CreateDirIfMissing(raw_path, options, debug)
                               : target()->CreateDir(raw_path, options, debug);
  if (s.ok() && !existed) unsynced_names_.push_back({.path = path});
  return s;
}

IOStatus PowerLossFs::DeleteDir(const std::string& path, const IOOptions& options,
                                IODebugContext* debug) {
  return Remove("delete the folder", path,
                [&] { return target()->DeleteDir(path, options, debug); });
}

IOStatus PowerLossFs::Remove(const std::string& verb, const std::string& raw_path,
                             const std::function<IOStatus()>& remove) {
  const std::string path = Normal(raw_path);
  return Change(verb + " " + path, /*step=*/true, [&] {
    IOStatus s = remove();
    if (s.ok()) Forget(path);
    return s;
  });
}

void PowerLossFs::FolderSynced(const std::string& folder) {
  std::erase_if(unsynced_names_,
                [&](const NameChange& change) { return FolderOf(change.path) == folder; });
}

void PowerLossFs::Forget(const std::string& path) {
  files_.erase(path);
  std::erase_if(unsynced_names_, [&](const NameChange& change) { return change.path == path; });
}

void PowerLossFs::MoveNames(const std::string& from, const std::string& to) {
  std::map<std::string, std::shared_ptr<Content>> files;
  for (auto& [path, content] : files_) {
    files[IsAtOrBelow(path, from) ? Moved(path, from, to) : path] = std::move(content);
  }
  files_ = std::move(files);
  for (NameChange& change : unsynced_names_) Move(change, from, to);
}

void PowerLossFs::Move(NameChange& change, const std::string& from, const std::string& to) {
  if (IsAtOrBelow(change.path, from)) change.path = Moved(change.path, from, to);
  // An earlier rename's old name moves with its folder; a file that had the name `from` before is
  // another file.
  if (change.from && IsBelow(*change.from, from)) change.from = Moved(*change.from, from, to);
  for (NameChange& replaced : change.replaced_names) Move(replaced, from, to);
}

void PowerLossFs::Undo(const NameChange& change) {
  if (!change.from) {
    fs::remove_all(change.path);
    return;
  }
  fs::rename(change.path, *change.from);
  MoveNames(change.path, *change.from);
  if (change.replaced_folder) fs::create_directory(change.path);
  if (change.replaced_file) std::ofstream(change.path, std::ios::binary) << *change.replaced_file;
  for (auto replaced = change.replaced_names.rbegin(); replaced != change.replaced_names.rend();
       ++replaced) {
    Undo(*replaced);
  }
}

}  // namespace quire::store::testing
