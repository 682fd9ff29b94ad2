#include "sizes.h"

#include <rocksdb/db.h>
#include <sqlite3.h>

#include <memory>
#include <vector>

namespace quire::bench {

Result<std::map<std::string, int64_t>> ArchiveColumnBytes(const std::string& dir) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok())
    return Status::IoError("listing the column families of " + dir + ": " + s.ToString());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, descriptors, &handles, &raw);
  if (!s.ok()) return Status::IoError("opening " + dir + " read-only: " + s.ToString());
  const std::unique_ptr<rocksdb::DB> db(raw);
  std::map<std::string, int64_t> bytes;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    uint64_t tables = 0, blobs = 0;
    db->GetIntProperty(handle, "rocksdb.live-sst-files-size", &tables);
    db->GetIntProperty(handle, "rocksdb.live-blob-file-size", &blobs);
    bytes[handle->GetName()] = static_cast<int64_t>(tables + blobs);
    db->DestroyColumnFamilyHandle(handle);
  }
  return bytes;
}

Result<int64_t> Fts5IndexBytes(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot open the SQLite database " + path);
  }
  sqlite3_stmt* statement = nullptr;
  int64_t bytes = -1;
  if (sqlite3_prepare_v2(db, "SELECT sum(pgsize) FROM dbstat WHERE name != 'docs_content'", -1,
                         &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    bytes = sqlite3_column_int64(statement, 0);
  }
  const std::string error = sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (bytes < 0) return Status::Internal("reading the page sizes of " + path + ": " + error);
  return bytes;
}

}  // namespace quire::bench
