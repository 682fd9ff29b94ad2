// Large deferred index writes (a bulk import's buffer) as table files ingested into the archive,
// rather than through its log and memtables: a bulk import wrote every posting block and spelling
// key three times (log, memtable, the memtable's flush to a table), and the memtable's sorted
// inserts were a fifth of its processor time (perf, bench_search).
//
// Each column's keys go into a file of their own, in ascending order, each key once; Ingest adds
// all the files to the archive in one atomic step (RocksDB's IngestExternalFiles records them in
// one manifest write), so a crash keeps all of them or none. Not thread-safe.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>

#include <map>
#include <memory>
#include <string>

#include "index_lists.h"

namespace quire::store {

class IndexTables final : public IndexWrites {
 public:
  // Files go into `dir` (the archive's folder) under names RocksDB never uses.
  IndexTables(rocksdb::DB& db, std::string dir) : db_(db), dir_(std::move(dir)) {}
  ~IndexTables() override;

  // REQUIRES: each column's keys in ascending order, each once.
  void Put(rocksdb::ColumnFamilyHandle* column, std::string_view key,
           std::string_view value) override;
  void Merge(rocksdb::ColumnFamilyHandle* column, std::string_view key,
             std::string_view value) override;
  void Delete(rocksdb::ColumnFamilyHandle* column, std::string_view key) override;
  Status status() const override;

  // Finishes the files and adds them to the archive; on failure none is added.
  Status Ingest();

  // Removes files a crash left before their ingestion.
  static void RemoveLeftovers(const std::string& dir);

 private:
  struct Table {
    rocksdb::ColumnFamilyHandle* column = nullptr;
    std::unique_ptr<rocksdb::SstFileWriter> writer;
    std::string path;
  };
  // The column's open file, opened at its first key; nullptr after a failure.
  rocksdb::SstFileWriter* Writer(rocksdb::ColumnFamilyHandle* column);
  void Keep(const rocksdb::Status& status);

  rocksdb::DB& db_;
  const std::string dir_;
  std::map<uint32_t, Table> tables_;  // by column id
  rocksdb::Status first_error_;
};

}  // namespace quire::store
