// The index's deferred writes (IndexBatch::Add, Set, Append, Remove): gathered from commits in
// memory and written in bulk as sums and blocks of list entries. The encoding is written out at
// the top of index_lists.cc.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/store/archive.h"

namespace quire::store {

// Where DeferredWrites::Write puts its writes: a rocksdb::WriteBatch (BatchWrites), or table files
// (IndexTables, index_tables.h), which take each column's keys in ascending order, each once.
// The first failure is kept and reported by status(); later writes are then ignored.
class IndexWrites {
 public:
  virtual ~IndexWrites() = default;
  virtual void Put(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                   std::string_view value) = 0;
  virtual void Merge(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                     std::string_view value) = 0;
  virtual void Delete(rocksdb::ColumnFamilyHandle* column, std::string_view key) = 0;
  virtual Status status() const = 0;
};

class BatchWrites final : public IndexWrites {
 public:
  explicit BatchWrites(rocksdb::WriteBatch& batch) : batch_(batch) {}
  void Put(rocksdb::ColumnFamilyHandle* column, std::string_view key,
           std::string_view value) override;
  void Merge(rocksdb::ColumnFamilyHandle* column, std::string_view key,
             std::string_view value) override;
  void Delete(rocksdb::ColumnFamilyHandle* column, std::string_view key) override;
  Status status() const override;

 private:
  rocksdb::WriteBatch& batch_;
  rocksdb::Status first_error_;
};

// At most this many entries go into one new block: a frequent term's list is read block by block,
// a rare term's in one.
inline constexpr size_t kListBlockEntries = 128;

// Deferred index writes, in commit order, held in memory until written. Gathering a write copies
// its key and entry into an arena and records views of them, so it costs no allocation of its
// own; Write groups the writes by key once: a bulk import gathers millions.
class DeferredWrites {
 public:
  void Add(std::string_view key, int64_t delta);
  void Set(std::string_view key, int64_t value);
  void Change(std::string_view list, DocId id, std::optional<std::string_view> entry);
  // Appends `later`'s writes after these.
  void Take(DeferredWrites&& later);
  // Forgets every write but keeps the memory that held them, for the next ones.
  void Clear();
  // How many writes are gathered, to forget those gathered after it with Truncate (the writes of
  // a commit that failed).
  struct Mark {
    size_t sums = 0;
    size_t changes = 0;
    bool operator==(const Mark&) const = default;
  };
  Mark End() const { return Mark{sums_.size(), changes_.size()}; }
  void Truncate(Mark mark);
  bool empty() const { return sums_.empty() && changes_.empty(); }
  // The list changes gathered.
  size_t changes() const { return changes_.size(); }
  // Whether every list change is for a document above `written_through`, so that Write only
  // appends new blocks, each column's keys in ascending order, as IndexTables takes them.
  bool OnlyAppends(DocId written_through) const;

  // Adds to `out` what carries these writes out: the list changes as blocks of `lists` (each
  // summarized by `indexer`, when not null), then in key order one merge per summed key into `sums`
  // (a put per set key), merged with one merge per changed list into its count in `sums`.
  // Lists whose changes are all for documents above `written_through` (no block holds such a
  // document yet) get new blocks at their ends without reading; the others read and rewrite the
  // blocks that hold the changed documents.
  Status Write(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* sums,
               rocksdb::ColumnFamilyHandle* lists, const Indexer* indexer, DocId written_through,
               IndexWrites& out) const;

  struct Sum {
    std::string_view key;
    int64_t delta;  // the value, when `set`
    bool set;
  };
  struct ListChange {
    std::string_view list;
    DocId id;
    std::optional<std::string_view> entry;  // nullopt: a removal
  };

 private:
  std::string_view Copy(std::string_view bytes);

  std::vector<Sum> sums_;
  std::vector<ListChange> changes_;
  // Holds the bytes the views above point into; its blocks never move.
  std::vector<std::unique_ptr<std::pmr::monotonic_buffer_resource>> arenas_;
};

std::unique_ptr<ListIterator> NewBlockListIterator(rocksdb::DB& db,
                                                   rocksdb::ColumnFamilyHandle* column,
                                                   std::string_view list);

}  // namespace quire::store
