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

void ArchiveBatch::Add(IndexColumn column, std::string_view key, int64_t delta) {
  if (column != IndexColumn::kTermStats) {
    // Only index_term_stats has the sum merge operator; elsewhere reads would fail later.
    Keep(rocksdb::Status::InvalidArgument("IndexBatch::Add is only for IndexColumn::kTermStats"));
    return;
  }
  Keep(batch_.Merge(handle(ToColumn(column)), ToSlice(key), EncodeInt64Le(delta)));
}

Status ArchiveBatch::Write(rocksdb::DB& db, const std::string& what, bool sync) {
  if (!first_error_.ok()) {
    return Status::Internal(what + ": a write was refused: " + first_error_.ToString());
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  return ToStatus(db.Write(options, &batch_), what);
}

}  // namespace quire::store
