// Feeds arbitrary bytes to what reads the index's stored values (index/src/postings.h) and to the
// archive's list blocks that hold its postings (store/src/index_lists.cc), as a damaged disk
// would. The first byte picks the reader:
//   0 a posting (DecodePosting, DecodePostingCounts, AppendPositions)
//   1 a block summary (DecodePostingSummary)
//   2 a term statistic (DecodeCount)
//   3 a document's entry (DecodeDocMeta), which must encode to bytes that read back as themselves
//   4 last-id byte, block: the block stored twice in a list (ids up to the byte, and 256 above),
//     read with Seek and Next as searches and `quire verify` do, each posting and summary decoded
// Each must report damage (false or a Status), never crash, hang or allocate without bound.
#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index_lists.h"
#include "postings.h"
#include "schema.h"

namespace {

using namespace quire;
using namespace quire::index;

void ReadPosting(std::string_view value) {
  uint32_t doc_length, frequency;
  const bool counts = DecodePostingCounts(value, doc_length, frequency);
  std::vector<Position> positions;
  const bool appended = AppendPositions(value, positions);
  Result<Posting> posting = DecodePosting(value, /*positions=*/true);
  if (posting.ok() != appended || (appended && !counts)) std::abort();
}

void ReadSummary(std::string_view summary) {
  std::vector<PostingBound> bounds;
  (void)DecodePostingSummary(summary, bounds);
}

// One database in memory for the whole run; each input's blocks are deleted after it.
rocksdb::DB& MemoryDb() {
  static rocksdb::DB* db = [] {
    static std::unique_ptr<rocksdb::Env> env(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    rocksdb::Options options;
    options.create_if_missing = true;
    options.env = env.get();
    // Small memtables, flushed often: each input's deleted blocks would otherwise pile up as
    // tombstones that every later seek steps over (the runs slowed from 3500 to 1200 a second).
    options.write_buffer_size = 256 << 10;
    rocksdb::DB* opened = nullptr;
    if (!rocksdb::DB::Open(options, "/fuzz", &opened).ok()) std::abort();
    return opened;
  }();
  return *db;
}

void ReadBlocks(uint8_t last_id, std::string_view block) {
  rocksdb::DB& db = MemoryDb();
  const std::string list = PostingList("word");
  // A block of the next list, which the list's readers must not step into.
  const std::vector<std::string> keys = {list + store::EncodeFixed64(last_id),
                                         list + store::EncodeFixed64(last_id + 256),
                                         PostingList("words") + store::EncodeFixed64(1)};
  for (const std::string& key : keys) {
    if (!db.Put(rocksdb::WriteOptions(), key, rocksdb::Slice(block.data(), block.size())).ok()) {
      std::abort();
    }
  }
  std::vector<store::DocId> seen;
  std::unique_ptr<store::ListIterator> it =
      store::NewBlockListIterator(db, db.DefaultColumnFamily(), list);
  for (it->Seek(0); it->Valid(); it->Next()) {
    seen.push_back(it->id());
    ReadPosting(it->entry());
    ReadSummary(it->BlockSummary());
    (void)it->BlockLast();
  }
  (void)it->status().ok();
  // Seeks as an AND of terms makes them: forward, to documents inside and between the blocks.
  it = store::NewBlockListIterator(db, db.DefaultColumnFamily(), list);
  for (store::DocId target : {store::DocId{1}, store::DocId{last_id} + 1, store::DocId{300}}) {
    it->Seek(target);
    if (it->Valid()) ReadPosting(it->entry());
  }
  for (store::DocId id : seen) {
    it->Seek(id + 1);
    if (!it->Valid()) break;
    ReadSummary(it->BlockSummary());
  }
  (void)it->status().ok();
  for (const std::string& key : keys) (void)db.Delete(rocksdb::WriteOptions(), key).ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: ReadPosting(value); break;
    case 1: ReadSummary(value); break;
    case 2: (void)DecodeCount(value).ok(); break;
    case 3: {
      Result<DocMeta> meta = DecodeDocMeta(value);
      if (meta.ok()) {
        const std::string encoded = EncodeDocMeta(*meta);
        Result<DocMeta> again = DecodeDocMeta(encoded);
        if (!again.ok() || EncodeDocMeta(*again) != encoded) std::abort();
      }
      break;
    }
    case 4:
      if (!value.empty()) ReadBlocks(static_cast<uint8_t>(value[0]), value.substr(1));
      break;
  }
  return 0;
}
