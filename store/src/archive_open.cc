// Opening an archive: deciding whether a folder is one, opening RocksDB with every column family,
// and turning the ways that fails into messages that say what to do.
#include <fcntl.h>
#include <rocksdb/cache.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "index_tables.h"
#include "int64_add_operator.h"
#include "rocks_archive.h"
#include "rocks_status.h"

namespace quire::store {
namespace {

namespace fs = std::filesystem;

// Documents indexed at open (their index writes lost in a crash, or every one after a schema
// change) whose postings are gathered before they are written.
constexpr size_t kMarkedIndexBuffer = 4096;

enum class Folder {
  kMissing,   // nothing there yet
  kEmpty,     // an empty folder: a new archive may go there
  kDatabase,  // holds a RocksDB database (it has a CURRENT file)
  kOther,     // holds other files: never turn someone's folder into an archive
  kNotFolder,
};

Result<Folder> InspectFolder(const std::string& dir) {
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (!fs::exists(status)) return Folder::kMissing;
  if (!fs::is_directory(status)) return Folder::kNotFolder;
  if (fs::exists(fs::path(dir) / "CURRENT", error)) return Folder::kDatabase;
  const bool empty = fs::is_empty(dir, error);
  if (error) return Status::IoError("cannot read the folder " + dir + ": " + error.message());
  return empty ? Folder::kEmpty : Folder::kOther;
}

// Makes a rename inside `folder` durable.
Status SyncFolder(rocksdb::Env& env, const std::string& folder) {
  std::unique_ptr<rocksdb::Directory> directory;
  rocksdb::Status s = env.NewDirectory(folder, &directory);
  if (s.ok()) s = directory->Fsync();
  return ToStatus(s, "syncing the folder " + folder);
}

// The pid holding the POSIX lock RocksDB takes on `lock_file`, if another process holds it.
// REQUIRES: this process does not hold it: closing any descriptor of the file would release it.
std::optional<pid_t> LockHolder(const std::string& lock_file) {
  const int fd = open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool asked = fcntl(fd, F_GETLK, &lock) == 0;
  close(fd);
  if (!asked || lock.l_type == F_UNLCK) return std::nullopt;
  return lock.l_pid;
}

// Makes `folder` and the missing folders above it. Each new folder's name is synced into its
// parent, as a file's is: else a power loss could take the folder, and the archive later built in
// it, after Open succeeded.
Status MakeFolders(rocksdb::Env& env, const fs::path& folder) {
  std::error_code error;
  if (fs::is_directory(folder, error)) return Status::Ok();
  QUIRE_RETURN_IF_ERROR(MakeFolders(env, folder.parent_path()));
  QUIRE_RETURN_IF_ERROR(
      ToStatus(env.CreateDirIfMissing(folder.string()), "creating the folder " + folder.string()));
  return SyncFolder(env, folder.parent_path().string());
}

// The archive's folder, spelled one way ("archive/" and "./archive" alike).
fs::path ArchivePath(const std::string& dir) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  return target;
}

// The name of the hidden folder beside the archive `target` that a process builds it in, less the
// builder's pid.
std::string BuildingPrefix(const fs::path& target) {
  return "." + target.filename().string() + ".creating-";
}

// The pid a building folder's name ends with, if it is one.
std::optional<pid_t> BuilderOf(const std::string& name, const std::string& prefix) {
  if (!name.starts_with(prefix) || name.size() == prefix.size()) return std::nullopt;
  const char* end = name.data() + name.size();
  pid_t pid = 0;
  const auto [stop, error] = std::from_chars(name.data() + prefix.size(), end, pid);
  if (error != std::errc() || stop != end || pid <= 0) return std::nullopt;
  return pid;
}

// Whether a process may still be building an archive in `folder`, named for `builder`: it holds
// the LOCK only while RocksDB has the database open, not before that nor while it renames the
// folder, so a live builder counts too. Another process may have reused a dead builder's pid; its
// folder then waits for a later open.
bool MayBeBuilding(const fs::path& folder, pid_t builder) {
  if (kill(builder, 0) == 0 || errno == EPERM) return true;
  return LockHolder((folder / "LOCK").string()).has_value();
}

// Removes the building folders that crashes left beside the archive `target`. This process's own
// is left to Create: another thread may be building in it, and asking who holds its LOCK would
// release that thread's lock (see LockHolder). A folder that holds files but no LOCK is no
// RocksDB database, so someone else's.
void RemoveAbandonedBuilds(const fs::path& target) {
  const std::string prefix = BuildingPrefix(target);
  std::error_code error;
  // Incremented with an error code: a range-for would throw if the listing failed halfway.
  for (auto it = fs::directory_iterator(target.parent_path(), error);
       !error && it != fs::directory_iterator(); it.increment(error)) {
    const fs::path& folder = it->path();
    const std::optional<pid_t> builder = BuilderOf(folder.filename().string(), prefix);
    std::error_code unsure;  // a folder that cannot be looked at is kept
    if (!builder || *builder == getpid() || !it->is_directory(unsure) || it->is_symlink(unsure)) {
      continue;
    }
    if (!fs::exists(folder / "LOCK", unsure) && !fs::is_empty(folder, unsure)) continue;
    if (unsure || MayBeBuilding(folder, *builder)) continue;
    fs::remove_all(folder, unsure);
  }
}

Status OpenError(const std::string& dir, const rocksdb::Status& status) {
  const std::string lock_file = dir + "/LOCK";
  if (status.IsIOError() && status.ToString().find(lock_file) != std::string::npos) {
    // RocksDB says so when this process already has the archive open (see LockHolder).
    if (status.ToString().find("lock hold by current process") != std::string::npos) {
      return Status::IoError("the archive " + dir +
                             " is already open in this process; open it once and share it");
    }
    const std::optional<pid_t> holder = LockHolder(lock_file);
    const std::string pid = holder ? " (pid " + std::to_string(*holder) + ")" : "";
    return Status::IoError("the archive " + dir + " is in use by another quire process" + pid +
                           "; stop it or use --archive to choose another archive");
  }
  // The folder holds a database (CheckFolder saw its CURRENT file), so a file missing is damage.
  if (status.IsCorruption() || status.IsPathNotFound()) {
    return Status::Corruption("the archive " + dir + " is damaged (" + status.ToString() +
                              "); restore it from a backup (quire backup makes one)");
  }
  return ToStatus(status, "opening the archive " + dir);
}

// A RocksDB database is a quire archive when it has our column families.
Status CheckIsArchive(const std::string& dir) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok()) return OpenError(dir, s);
  if (std::find(names.begin(), names.end(), ColumnName(Column::kMeta)) == names.end()) {
    // ListColumnFamilies reads a damaged MANIFEST as holding only "default"; opening tells.
    rocksdb::DB* db = nullptr;
    s = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir, &db);
    if (!s.ok()) return OpenError(dir, s);
    delete db;
    return Status::InvalidArgument(dir +
                                   " is a RocksDB database but not a quire archive; pass "
                                   "--archive with a quire archive, or a new folder to create one");
  }
  return Status::Ok();
}

Status CheckFolder(const std::string& dir, Folder folder, const ArchiveOptions& options) {
  switch (folder) {
    case Folder::kDatabase: return CheckIsArchive(dir);
    case Folder::kMissing:
    case Folder::kEmpty:
      if (options.create_if_missing && !options.read_only) return Status::Ok();
      return Status::NotFound("no archive at " + dir +
                              "; ingest documents first (quire ingest FILE) or pass --archive DIR");
    case Folder::kOther:
      return Status::InvalidArgument(
          dir +
          " is not a quire archive (the folder holds other files); "
          "pass --archive with an archive, or a new folder to create one");
    case Folder::kNotFolder:
      return Status::InvalidArgument(dir + " is a file, not an archive folder; pass --archive DIR");
  }
  return Status::Internal("unknown folder state");
}

// Every column of every archive in the process shares one block cache, so the hot index blocks
// (term statistics, postings) stay in memory whichever archive is busy. It holds only blocks
// read, so a small archive takes little of it; a million documents' postings take about 1.8 GB
// uncompressed, and with 256 MiB the queries of bench/search at 1M spent a fifth of their CPU
// time decompressing blocks read before (phrase p99 64 -> 45 ms CPU with 1 GiB). At most a
// quarter of the memory, for small machines.
inline constexpr size_t kMaxBlockCacheBytes = size_t{1} << 30;

size_t BlockCacheBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_bytes = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_bytes <= 0) return kMaxBlockCacheBytes;
  return std::min(kMaxBlockCacheBytes, static_cast<size_t>(pages) * page_bytes / 4);
}

// Blocks of the columns read a key at a time (the index's); the document records (a page is a
// few KiB) go in larger blocks, which compress better and need fewer index entries. So do the
// postings: a query reads a frequent term's list blocks one after another, and decompressing a
// few large blocks costs less than many small ones (bench_search at 1M, caches cold: 3-word AND
// p99 53.5 -> 42.1 ms CPU, postings 1394 -> 1326 MB; at 100k, caches warm, no change).
inline constexpr size_t kIndexBlockBytes = 4 << 10;
inline constexpr size_t kRecordBlockBytes = 16 << 10;
inline constexpr size_t kPostingBlockBytes = 16 << 10;

std::shared_ptr<rocksdb::TableFactory> NewTableFactory(size_t block_bytes) {
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(BlockCacheBytes());
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = block_bytes;
  // Point reads (a term's statistics, a document's records) mostly look up keys an SST file
  // does not hold; a 10-bit-per-key Bloom filter (1% false positives) skips those files.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
}

bool IsDocumentRecord(Column column) {
  switch (column) {
    case Column::kOriginals:
    case Column::kPages:
    case Column::kFields:
    case Column::kDocuments:
    case Column::kAudit:
    case Column::kIndexDocTerms: return true;
    default: return false;
  }
}

rocksdb::ColumnFamilyOptions ColumnOptions(Column column) {
  static const std::shared_ptr<rocksdb::TableFactory> index_tables =
      NewTableFactory(kIndexBlockBytes);
  static const std::shared_ptr<rocksdb::TableFactory> record_tables =
      NewTableFactory(kRecordBlockBytes);
  static const std::shared_ptr<rocksdb::TableFactory> posting_tables =
      NewTableFactory(kPostingBlockBytes);
  rocksdb::ColumnFamilyOptions options;
  options.table_factory = column == Column::kIndexPostings ? posting_tables : index_tables;
  if (IsDocumentRecord(column)) {
    // Text and JSON: zstd in these larger blocks stores them in about 60% of the space snappy
    // in 4 KiB blocks took (bench/search).
    options.table_factory = record_tables;
    options.compression = rocksdb::kZSTD;
  }
  if (!IsDocumentRecord(column)) {
    // The index's blocks stay small for its reads (snappy where compactions still rewrite them
    // often); zstd in the last level, which holds most of the data, stores postings in two
    // thirds of snappy's space at about the same search CPU time (bench_search at 20k
    // documents, postings forced through a bottommost compaction: 42.0 -> 28.4 MB).
    options.bottommost_compression = rocksdb::kZSTD;
    // A bulk import's index buffers are ingested as table files (index_tables.h), each into the
    // last level that holds nothing of its key range: with fixed level sizes the buffers stacked
    // one level above the other, and a compaction then rewrote them level by level (bench_search
    // at 100k: 22 s of finishing against 12). Levels sized from the last one leave the empty ones
    // above it unused, so that a buffer goes to the last level or to level 0.
    options.level_compaction_dynamic_level_bytes = true;
    // Every buffer a bulk import ingests into level 0 spans the whole key range, so each
    // compaction of level 0 rewrites the level below whole: at 1M documents (122 buffers, four
    // files a compaction) the term statistics were written 22 times over (1.3 GB for 60 MB) and
    // the postings 9 times. Eight files a compaction halves that; a list read then looks into
    // eight files of level 0 at most, until the next compaction or Compact.
    options.level0_file_num_compaction_trigger = 8;
  }
  if (column == Column::kOriginals) {
    // Large originals go to blob files, so compactions do not rewrite them; garbage collection
    // reclaims the space of deleted ones.
    options.enable_blob_files = true;
    options.min_blob_size = kMinBlobSize;
    options.enable_blob_garbage_collection = true;
  }
  if (column == Column::kIndexTermStats) options.merge_operator = NewInt64AddOperator();
  return options;
}

}  // namespace

Result<std::unique_ptr<RocksArchive>> RocksArchive::OpenDatabase(const std::string& dir,
                                                                 bool read_only, bool create,
                                                                 rocksdb::Env* env) {
  rocksdb::DBOptions db_options;
  db_options.env = env;
  db_options.create_if_missing = create;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 5;
  // A compaction thread for each core, for Compact, and one to flush memtables.
  db_options.max_background_jobs = static_cast<int>(std::thread::hardware_concurrency()) + 2;
  // Reads of SST files through mmap, not a pread per block: a search of a frequent word reads
  // thousands of blocks its first time, and a system call costs most on a virtual machine (on
  // bench/search at 1M, "invoice" took 117 ms this way against 183 ms).
  db_options.allow_mmap_reads = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()}};
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    descriptors.emplace_back(ColumnName(column), ColumnOptions(column));
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status s;
  if (read_only) {
    // A writer in another process (quire serve) may delete a table file between the moment this
    // open reads the list of files and the moment it opens them; the next try reads the new list.
    // Once open, every table file is open, so later deletions do not reach this reader; blob
    // files are opened when first read (see ReadOriginal). A writer compacting without pause can
    // spoil try after try, so the tries go on for seconds, not a count.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      s = rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &handles, &raw_db);
      if (s.ok() || !FileVanished(s)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < give_up);
  } else {
    s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw_db);
  }
  if (!s.ok()) return OpenError(dir, s);
  ColumnHandles columns;
  std::copy(handles.begin() + 1, handles.end(), columns.begin());
  std::unique_ptr<RocksArchive> archive(
      new RocksArchive(dir, read_only, env, std::unique_ptr<rocksdb::DB>(raw_db), columns));
  // The default column family is unused; the database keeps its own handle to it.
  QUIRE_RETURN_IF_ERROR(
      ToStatus(archive->db().DestroyColumnFamilyHandle(handles[0]), "opening " + dir));
  QUIRE_RETURN_IF_ERROR(archive->LoadMeta());
  return archive;
}

// RocksDB creates a database in steps (its files, then one column family after another), so a new
// archive is built in a folder beside `dir` and renamed into place: a crash while creating it
// leaves at `dir` nothing, never half an archive. A crash can leave the hidden building folder,
// which the next open for writing removes (RemoveAbandonedBuilds).
// The folders made, the rename and the folder syncs go through `env`, as the database's own files
// do, so that a test losing power there sees them; the rest only reads or removes.
Status RocksArchive::Create(const std::string& dir, rocksdb::Env* env) {
  const fs::path target = ArchivePath(dir);
  const fs::path building =
      target.parent_path() / (BuildingPrefix(target) + std::to_string(getpid()));
  Status made = MakeFolders(*env, target.parent_path());
  if (!made.ok()) {
    return Status::IoError("cannot create the folder for the archive " + dir + " (" +
                           made.message() + "); pass --archive with a folder you can write to");
  }
  std::error_code error;
  fs::remove_all(building, error);
  {
    QUIRE_ASSIGN_OR_RETURN(
        std::unique_ptr<RocksArchive> archive,
        OpenDatabase(building.string(), /*read_only=*/false, /*create=*/true, env));
  }
  // rename(2) replaces an empty folder.
  const rocksdb::Status renamed = env->RenameFile(building.string(), target.string());
  if (!renamed.ok()) {
    std::error_code ignored;
    fs::remove_all(building, ignored);
    Result<Folder> now = InspectFolder(dir);
    if (now.ok() && *now == Folder::kDatabase) return Status::Ok();  // another process was first
    return ToStatus(renamed, "cannot move the new archive into " + dir);
  }
  return SyncFolder(*env, target.parent_path().string());
}

Result<std::unique_ptr<Archive>> RocksArchive::Open(const std::string& dir,
                                                    const ArchiveOptions& options,
                                                    rocksdb::Env* env) {
  if (!options.read_only) RemoveAbandonedBuilds(ArchivePath(dir));
  QUIRE_ASSIGN_OR_RETURN(Folder folder, InspectFolder(dir));
  QUIRE_RETURN_IF_ERROR(CheckFolder(dir, folder, options));
  if (folder == Folder::kMissing || folder == Folder::kEmpty) {
    QUIRE_RETURN_IF_ERROR(Create(dir, env));
  }
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<RocksArchive> archive,
                         OpenDatabase(dir, options.read_only, /*create=*/false, env));
  archive->sync_commits_ = options.sync_commits;
  archive->index_buffer_documents_ = std::max(1, options.index_buffer_documents);
  archive->index_buffer_changes_ = options.index_buffer_changes;
  archive->index_table_changes_ = options.index_table_changes;
  if (!options.read_only) IndexTables::RemoveLeftovers(dir);
  archive->indexer_ = options.indexer;
  if (!options.read_only) QUIRE_RETURN_IF_ERROR(archive->IndexMarked());
  return std::unique_ptr<Archive>(std::move(archive));
}

Status RocksArchive::IndexMarked() {
  std::lock_guard<std::mutex> lock(write_mu_);
  written_through_ = next_id_ - 1;
  if (!indexer_) return Status::Ok();
  std::vector<DocId> marked;
  QUIRE_RETURN_IF_ERROR(ForEach(Column::kMeta, rocksdb::ReadOptions(), kUnindexedKeys,
                                [&](std::string_view key, std::string_view) {
                                  marked.push_back(
                                      DecodeFixed64(key.substr(kUnindexedKeys.size())));
                                  return Status::Ok();
                                }));
  // Nobody waits on these documents one by one (all of them after a schema change rebuilt the
  // index), so they are written in bulk, unsynced: each keeps its mark until the flush that
  // removes it, which the log keeps after them (WriteDeferred), and a crash before it indexes
  // them again.
  const size_t buffer = std::max<size_t>(index_buffer_documents_, kMarkedIndexBuffer);
  for (DocId id : marked) {
    const std::string what = "indexing " + DocumentName(id) + " (marked unindexed)";
    ArchiveBatch batch(columns_, instance_);
    Result<DocumentSummary> summary = ReadSummary(rocksdb::ReadOptions(), id);
    if (summary.ok()) {
      Result<NewDocument> indexed = ReadIndexedForm(*summary);
      if (!indexed.ok()) return indexed.status().WithContext(what);
      QUIRE_RETURN_IF_ERROR(Index(id, *indexed, batch).WithContext(what));
      QUIRE_RETURN_IF_ERROR(batch.Write(*db_, what, /*sync=*/false));
      pending_.Take(std::move(batch.deferred()));
    } else if (summary.status().code() != Status::Code::kNotFound) {
      return summary.status().WithContext(what);
    }
    marked_.push_back(id);  // a mark without its document goes with the flush
    if (marked_.size() >= buffer) QUIRE_RETURN_IF_ERROR(FlushLocked());
  }
  return FlushLocked();
}

Status RocksArchive::Migrate(int from) {
  // A batch at a time, the version last, so an interrupted migration is finished by the next
  // open (records already rewritten are skipped, counts and marks written again).
  constexpr int kRecordsPerBatch = 1000;
  const std::string what =
      "bringing the archive " + dir_ + " up to schema " + std::to_string(kSchemaVersion);
  rocksdb::WriteBatch batch;
  auto write = [&] {
    rocksdb::WriteOptions options;
    options.sync = true;
    Status s = ToStatus(WriteResuming(*db_, options, &batch), what);
    batch.Clear();
    return s;
  };
  auto put = [&](Column column, std::string_view key, std::string_view value) {
    QUIRE_RETURN_IF_ERROR(ToStatus(batch.Put(handle(column), rocksdb::Slice(key.data(), key.size()),
                                             rocksdb::Slice(value.data(), value.size())),
                                   what));
    return batch.Count() >= kRecordsPerBatch ? write() : Status::Ok();
  };
  // Schema 3 to 4: the page records' fields move from JSON to the archive's own binary encoding
  // (records.cc); field records are read alike by both.
  if (from < 4) {
    QUIRE_RETURN_IF_ERROR(
        ForEach(Column::kPages, rocksdb::ReadOptions(), "",
                [&](std::string_view key, std::string_view value) -> Status {
                  Result<std::optional<std::string>> record = MigratePageRecord(value);
                  if (!record.ok()) {
                    return record.status().WithContext(DocumentName(DocIdOfKey(key)) + ": " + what);
                  }
                  return record->has_value() ? put(Column::kPages, key, **record) : Status::Ok();
                }));
  }
  // Schema 5 to 6, 6 to 7 and 7 to 8: the index's postings changed their encoding, then its tag
  // terms, then it took the title and notes words. The index columns are emptied and every document
  // marked, so that IndexMarked indexes each again, as after a crash.
  if (from < kIndexSchemaVersion) {
    for (Column column :
         {Column::kIndexPostings, Column::kIndexTermStats, Column::kIndexDocTerms}) {
      QUIRE_RETURN_IF_ERROR(ToStatus(batch.DeleteRange(handle(column), "", "\xff"), what));
    }
    QUIRE_RETURN_IF_ERROR(ForEach(Column::kDocuments, rocksdb::ReadOptions(), "",
                                  [&](std::string_view key, std::string_view) {
                                    return put(Column::kMeta, UnindexedKey(DocIdOfKey(key)), "");
                                  }));
  }
  // Schema 4 to 5: the tally and the review marks, counted from the records.
  std::vector<DocId> to_review;
  Result<Tally> tally = CountRecords(rocksdb::ReadOptions(), &to_review);
  if (!tally.ok()) return tally.status().WithContext(what);
  for (DocId id : to_review) QUIRE_RETURN_IF_ERROR(put(Column::kMeta, ReviewKey(id), ""));
  QUIRE_RETURN_IF_ERROR(put(Column::kMeta, kTallyKey, EncodeTally(*tally)));
  QUIRE_RETURN_IF_ERROR(put(Column::kMeta, kSchemaVersionKey, std::to_string(kSchemaVersion)));
  return write();
}

Status RocksArchive::LoadMeta() {
  const rocksdb::ReadOptions options;
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> version,
                         GetValue(Column::kMeta, options, kSchemaVersionKey));
  if (!version.has_value()) {
    // A new database: Create opens it before it becomes an archive.
    if (read_only_) return Status::Ok();
    ArchiveBatch batch(columns_, instance_);
    batch.Put(Column::kMeta, kSchemaVersionKey, std::to_string(kSchemaVersion));
    return batch.Write(*db_, "creating the archive " + dir_);
  }
  const int schema = std::atoi(version->c_str());
  if (schema < kOldestMigratedSchema) {
    return Status::Unsupported("the archive " + dir_ + " was written by an older quire (schema " +
                               *version + "), whose index and page records this one cannot " +
                               "read; ingest its documents into a new archive");
  }
  // A read-only open reads the older records as they are; a writer brings them up to date.
  if (schema < kSchemaVersion && !read_only_) QUIRE_RETURN_IF_ERROR(Migrate(schema));
  tallied_ = schema >= 5 || !read_only_;
  index_readable_ = schema >= kIndexSchemaVersion || !read_only_;
  if (std::atoi(version->c_str()) > kSchemaVersion) {
    return Status::Unsupported("the archive " + dir_ + " was written by a newer quire (schema " +
                               *version + ", this one reads up to " +
                               std::to_string(kSchemaVersion) + "); upgrade quire");
  }
  QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> next,
                         GetValue(Column::kMeta, options, kNextDocIdKey));
  if (!next.has_value()) return Status::Ok();  // no commit yet: ids start at 1
  if (next->size() != 8) {
    return Status::Corruption("the archive " + dir_ +
                              " has a damaged id counter; restore it from a backup");
  }
  next_id_ = DecodeFixed64(*next);
  return Status::Ok();
}

}  // namespace quire::store
