#include "archive_batch.h"

#include "rocks_status.h"

namespace quire::store {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

void ArchiveBatch::Keep(const rocksdb::Status& status) {
  if (first_error_.ok()) first_error_ = status;
}

void ArchiveBatch::Put(Column column, std::string_view key, std::string_view value) {
  Keep(batch_.Put(handle(column), ToSlice(key), ToSlice(value)));
}

void ArchiveBatch::Delete(Column column, std::string_view key) {
  Keep(batch_.Delete(handle(column), ToSlice(key)));
}

void ArchiveBatch::Put(IndexColumn column, std::string_view key, std::string_view value) {
  Put(ToColumn(column), key, value);
}

void ArchiveBatch::Delete(IndexColumn column, std::string_view key) {
  Delete(ToColumn(column), key);
}

bool ArchiveBatch::Check(IndexColumn column, IndexColumn expected, const char* what) {
  if (column == expected) return true;
  // Sums live in the column with the sum merge operator, lists where the index reads them.
  Keep(rocksdb::Status::InvalidArgument(what));
  return false;
}

void ArchiveBatch::Add(IndexColumn column, std::string_view key, int64_t delta) {
  if (Check(column, IndexColumn::kTermStats,
            "IndexBatch::Add is only for IndexColumn::kTermStats")) {
    deferred_.Add(key, delta);
  }
}

void ArchiveBatch::Set(IndexColumn column, std::string_view key, int64_t value) {
  if (Check(column, IndexColumn::kTermStats,
            "IndexBatch::Set is only for IndexColumn::kTermStats")) {
    deferred_.Set(key, value);
  }
}

void ArchiveBatch::Append(IndexColumn column, std::string_view list, DocId id,
                          std::string_view entry) {
  if (Check(column, IndexColumn::kPostings,
            "IndexBatch::Append is only for IndexColumn::kPostings")) {
    deferred_.Change(list, id, entry);
  }
}

void ArchiveBatch::Remove(IndexColumn column, std::string_view list, DocId id) {
  if (Check(column, IndexColumn::kPostings,
            "IndexBatch::Remove is only for IndexColumn::kPostings")) {
    deferred_.Change(list, id, std::nullopt);
  }
}

Status ArchiveBatch::Write(rocksdb::DB& db, const std::string& what, bool sync) {
  if (!first_error_.ok()) {
    return Status::Internal(what + ": a write was refused: " + first_error_.ToString());
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  return ToStatus(WriteResuming(db, options, &batch_), what);
}

rocksdb::Status WriteResuming(rocksdb::DB& db, const rocksdb::WriteOptions& options,
                              rocksdb::WriteBatch* batch) {
  const rocksdb::Status first = db.Write(options, batch);
  if (first.ok() || !(first.IsIOError() || first.IsNoSpace() || first.IsShutdownInProgress())) {
    return first;
  }
  // Resume() returns OK at once when the database is not stopped; a second failure is then
  // this write's own, and the first error says best what went wrong.
  if (!db.Resume().ok()) return first;
  const rocksdb::Status again = db.Write(options, batch);
  return again.ok() ? again : first;
}

}  // namespace quire::store
