// The index's deferred writes (IndexBatch::Add, Append, Remove): gathered from commits in memory,
// logged until written, and written in bulk as sums and blocks of list entries. The encodings are
// written out at the top of index_lists.cc.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/store/archive.h"

namespace quire::store {

// At most this many entries go into one new block: a frequent term's list is read block by block,
// a rare term's in one.
inline constexpr size_t kListBlockEntries = 128;

// Deferred index writes, in commit order. Each commit's writes are kept as its log record (the
// encoding in index_lists.cc), so gathering a write only appends its bytes, with no allocation of
// its own; Write reads the records back and groups the writes by key once: a bulk import gathers
// millions.
class DeferredWrites {
 public:
  void Add(std::string_view key, int64_t delta);
  void Change(std::string_view list, DocId id, std::optional<std::string_view> entry);
  // Appends `later`'s writes after these.
  void Take(DeferredWrites&& later);
  bool empty() const { return records_.empty(); }

  // The log record of these writes, and back (appending after what is already here).
  std::string Encode() const;
  Status Decode(std::string_view record);

  // Adds to `batch` what carries these writes out: one merge per summed key into `sums`, the
  // list changes as blocks of `lists`, and one merge per changed list into its count in `sums`.
  // Lists whose changes are all for documents above `written_through` (no block holds such a
  // document yet) get new blocks at their ends without reading; the others read and rewrite the
  // blocks that hold the changed documents.
  Status Write(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* sums,
               rocksdb::ColumnFamilyHandle* lists, DocId written_through,
               rocksdb::WriteBatch& batch) const;

 private:
  std::string& Last();

  std::vector<std::string> records_;  // one per commit, each never empty
};

std::unique_ptr<ListIterator> NewBlockListIterator(rocksdb::DB& db,
                                                   rocksdb::ColumnFamilyHandle* column,
                                                   std::string_view list);

}  // namespace quire::store
