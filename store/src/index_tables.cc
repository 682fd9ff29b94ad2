#include "index_tables.h"

#include <filesystem>
#include <vector>

#include "rocks_status.h"

namespace quire::store {
namespace {

namespace fs = std::filesystem;

// "index-table-<column id>.tmp": not a name RocksDB reads or deletes as its own.
constexpr std::string_view kFilePrefix = "index-table-";
constexpr std::string_view kFileSuffix = ".tmp";

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

}  // namespace

IndexTables::~IndexTables() {
  // Files left by a failure; ingested ones were moved into the archive.
  std::error_code ignored;
  for (const auto& [id, table] : tables_) fs::remove(table.path, ignored);
}

void IndexTables::Keep(const rocksdb::Status& status) {
  if (first_error_.ok() && !status.ok()) first_error_ = status;
}

rocksdb::SstFileWriter* IndexTables::Writer(rocksdb::ColumnFamilyHandle* column) {
  if (!first_error_.ok()) return nullptr;
  Table& table = tables_[column->GetID()];
  if (table.writer) return table.writer.get();
  table.column = column;
  rocksdb::Options options(db_.GetDBOptions(), db_.GetOptions(column));
  // The files land in the first level and are compacted again soon: the column's quick
  // compression (a memtable's flush uses it too), not its bottommost one, which a table file
  // otherwise takes.
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  table.writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(options), options,
                                                          column, /*invalidate_page_cache=*/false);
  table.path = dir_ + "/" + std::string(kFilePrefix) + std::to_string(column->GetID()) +
               std::string(kFileSuffix);
  Keep(table.writer->Open(table.path));
  return first_error_.ok() ? table.writer.get() : nullptr;
}

void IndexTables::Put(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                      std::string_view value) {
  if (rocksdb::SstFileWriter* writer = Writer(column)) {
    Keep(writer->Put(ToSlice(key), ToSlice(value)));
  }
}

void IndexTables::Merge(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                        std::string_view value) {
  if (rocksdb::SstFileWriter* writer = Writer(column)) {
    Keep(writer->Merge(ToSlice(key), ToSlice(value)));
  }
}

void IndexTables::Delete(rocksdb::ColumnFamilyHandle* column, std::string_view key) {
  if (rocksdb::SstFileWriter* writer = Writer(column)) Keep(writer->Delete(ToSlice(key)));
}

Status IndexTables::status() const { return ToStatus(first_error_, "writing the index"); }

Status IndexTables::Ingest() {
  QUIRE_RETURN_IF_ERROR(status());
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (auto& [id, table] : tables_) {
    QUIRE_RETURN_IF_ERROR(ToStatus(table.writer->Finish(), "writing the index"));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = table.column;
    arg.external_files = {table.path};
    arg.options.move_files = true;
    // The sequence number lives in the manifest alone: no rewrite of the file.
    arg.options.write_global_seqno = false;
    args.push_back(std::move(arg));
  }
  if (args.empty()) return Status::Ok();
  return ToStatus(db_.IngestExternalFiles(args), "writing the index");
}

void IndexTables::RemoveLeftovers(const std::string& dir) {
  std::error_code error;
  // Incremented with an error code: a range-for would throw if the listing failed halfway.
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(kFilePrefix) && name.ends_with(kFileSuffix)) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace quire::store
