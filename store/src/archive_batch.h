// One atomic write to the archive: the records of one document, and the index's entries for it.
//
// The index writes through the IndexBatch interface into the same rocksdb::WriteBatch, so the
// document and its index entries land together or not at all; its deferred writes (Add, Append,
// Remove) are gathered apart, for the archive to write in bulk later (see index_lists.h). The first
// failure (a key too large, an Add on a column without the sum merge operator) is kept and reported
// by Write(), which then writes nothing. Not thread-safe.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <string_view>

#include "index_lists.h"
#include "quire/store/archive.h"
#include "schema.h"

namespace quire::store {

using ColumnHandles = std::array<rocksdb::ColumnFamilyHandle*, kColumnCount>;

// Writes `batch` to `db`. After an I/O error in a write, RocksDB refuses every later write until
// DB::Resume() succeeds; so when a write fails, this tries to resume the database and writes once
// more. Errors RocksDB deems recoverable then clear once the cause is gone; others (a failed
// log append, e.g. EFBIG) keep the database stopped until it is reopened, and the first error is
// returned. Every archive and journal write goes through here; Archive::Writable() tells which
// case the archive is in.
rocksdb::Status WriteResuming(rocksdb::DB& db, const rocksdb::WriteOptions& options,
                              rocksdb::WriteBatch* batch);

class ArchiveBatch final : public IndexBatch {
 public:
  // Deferred writes are gathered into `deferred` when given (a commit's go straight into the
  // archive's buffer, not copied there afterwards), else into the batch's own.
  ArchiveBatch(const ColumnHandles& columns, uint64_t archive_instance,
               DeferredWrites* deferred = nullptr)
      : columns_(columns),
        archive_instance_(archive_instance),
        deferred_(deferred != nullptr ? *deferred : own_deferred_) {}

  void Put(Column column, std::string_view key, std::string_view value);
  void Delete(Column column, std::string_view key);

  void Put(IndexColumn column, std::string_view key, std::string_view value) override;
  void Delete(IndexColumn column, std::string_view key) override;
  void Add(IndexColumn column, std::string_view key, int64_t delta) override;
  void Set(IndexColumn column, std::string_view key, int64_t value) override;
  void Append(IndexColumn column, std::string_view list, DocId id, std::string_view entry) override;
  void Remove(IndexColumn column, std::string_view list, DocId id) override;
  uint64_t archive_instance() const override { return archive_instance_; }

  DeferredWrites& deferred() { return deferred_; }
  rocksdb::WriteBatch& batch() { return batch_; }

  // Writes the batch; with `sync` it is on disk when this returns OK. `what` names the change in
  // the error message ("committing document 7").
  Status Write(rocksdb::DB& db, const std::string& what, bool sync = true);

 private:
  rocksdb::ColumnFamilyHandle* handle(Column column) const {
    return columns_[static_cast<int>(column)];
  }
  void Keep(const rocksdb::Status& status);
  // False (and the first error kept) when `column` is not `expected`.
  bool Check(IndexColumn column, IndexColumn expected, const char* what);

  const ColumnHandles& columns_;
  const uint64_t archive_instance_;
  rocksdb::WriteBatch batch_;
  DeferredWrites own_deferred_;
  DeferredWrites& deferred_;
  rocksdb::Status first_error_;
};

}  // namespace quire::store
