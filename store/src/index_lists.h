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
  bool empty() const { return sums_.empty() && changes_.empty(); }

  // Adds to `batch` what carries these writes out: one merge per summed key into `sums` (a put
  // per set key), the list changes as blocks of `lists` (each summarized by `summarize`, when
  // set), and one merge per changed list into its count in `sums`.
  // Lists whose changes are all for documents above `written_through` (no block holds such a
  // document yet) get new blocks at their ends without reading; the others read and rewrite the
  // blocks that hold the changed documents.
  Status Write(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* sums,
               rocksdb::ColumnFamilyHandle* lists, const ListSummarizer& summarize,
               DocId written_through, rocksdb::WriteBatch& batch) const;

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
