// Encodings of the index's deferred writes ("+" is concatenation; varint: quire/store/varint.h).
//
// A list (IndexBatch::Append) is stored in the column given to Append as blocks:
//
//   list + fixed64(last id in the block) -> block
//   block       := varint(count) varint(summary_size) summary header*count entry*count
//   summary     := Indexer::SummarizeList(the entries), or "" without an indexer
//   header      := varint(id_delta) varint(entry_size)     id_delta from the previous entry's id,
//                                                          the first from 0
//
// The number of entries of each list is summed into the sums column under the list's name.
//
// Ids ascend within a block and from block to block, so seeking `list` + fixed64(target) lands on
// the block that holds `target` or the first entry after it. The headers come first so that a
// reader that needs only the ids (an AND of terms) never touches the entries, and the summary
// before them lets a reader skip a block without decoding them (a block that cannot hold a good
// enough match). New entries for
// documents above every stored one form new blocks of up to kListBlockEntries; changes to stored
// documents (re-indexing, deleting) rewrite the block that holds them.
#include "index_lists.h"

#include <algorithm>
#include <bit>
#include <numeric>
#include <span>

#include "quire/store/varint.h"
#include "rocks_status.h"
#include "schema.h"

namespace quire::store {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string BlockKey(std::string_view list, DocId last) {
  return std::string(list) + EncodeFixed64(last);
}

// The id of a block key of `list`, or nullopt when `key` belongs to no block of it.
std::optional<DocId> BlockLastId(std::string_view key, std::string_view list) {
  if (key.size() != list.size() + 8 || !key.starts_with(list)) return std::nullopt;
  return DecodeFixed64(key.substr(list.size()));
}

struct Entry {
  DocId id;
  std::string_view bytes;
};

// Decodes `block` into `entries` and `summary` (views into `block`); false when it is damaged.
bool DecodeBlock(std::string_view block, std::vector<Entry>& entries, std::string_view& summary) {
  entries.clear();
  uint64_t count, summary_size;
  if (!GetVarint(block, count) || count > block.size() || !GetVarint(block, summary_size) ||
      summary_size > block.size()) {
    return false;
  }
  summary = block.substr(0, summary_size);
  block.remove_prefix(summary_size);
  entries.resize(count);
  DocId id = 0;
  uint64_t total = 0;
  for (Entry& entry : entries) {
    uint64_t delta, size;
    if (!GetVarint(block, delta) || !GetVarint(block, size) || size > block.size()) return false;
    id += delta;
    entry = Entry{id, std::string_view(nullptr, size)};  // the bytes' place is known below
    total += size;
  }
  if (total != block.size()) return false;
  for (Entry& entry : entries) {
    entry.bytes = block.substr(0, entry.bytes.size());
    block.remove_prefix(entry.bytes.size());
  }
  return true;
}

std::string EncodeBlock(const std::vector<Entry>& entries, std::string_view summary) {
  std::string out;
  PutVarint(out, entries.size());
  PutVarint(out, summary.size());
  out.append(summary);
  DocId previous = 0;
  for (const Entry& entry : entries) {
    PutVarint(out, entry.id - previous);
    PutVarint(out, entry.bytes.size());
    previous = entry.id;
  }
  for (const Entry& entry : entries) out.append(entry.bytes);
  return out;
}

using ListChange = DeferredWrites::ListChange;
using ChangeIt = const ListChange*;

// Where a write's blocks go, summarized as they are encoded.
struct BlockWriter {
  rocksdb::ColumnFamilyHandle* column;
  const Indexer* indexer;  // null: no summary
  IndexWrites& out;

  void Put(std::string_view list, const std::vector<Entry>& entries) const {
    std::string summary;
    if (indexer != nullptr) {
      std::vector<std::string_view> bytes;
      bytes.reserve(entries.size());
      for (const Entry& entry : entries) bytes.push_back(entry.bytes);
      summary = indexer->SummarizeList(bytes);
    }
    out.Put(column, BlockKey(list, entries.back().id), EncodeBlock(entries, summary));
  }
};

// An IndexBatch::Add with the first 8 bytes of its key as a big-endian number (zero-padded):
// those order keys as memcmp does, so sorting compares whole keys only where they tie. A flush
// sorts millions of them (the spelling index's keys).
struct SortableSum {
  uint64_t prefix;
  DeferredWrites::Sum sum;
};

uint64_t SortPrefix(std::string_view key) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i) {
    prefix = (prefix << 8) | (i < key.size() ? static_cast<uint8_t>(key[i]) : 0);
  }
  return prefix;
}

// Numbers lists by their names in an open-addressing table, in the order they first come: a
// bulk write looks up every change's list, and a node-based map of the lists' changes allocated
// and freed a vector for each list (a quarter of a bulk write's own time, perf).
class ListNumbers {
 public:
  explicit ListNumbers(size_t expected) {
    Rehash(std::bit_ceil(std::max<size_t>(16, 2 * expected)));
  }

  uint32_t Number(std::string_view list) {
    if (2 * (names_.size() + 1) > slots_.size()) Rehash(2 * slots_.size());
    const uint64_t hash = std::hash<std::string_view>()(list);
    const size_t mask = slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      if (slots_[slot] == 0) {
        names_.push_back(list);
        hashes_.push_back(hash);
        slots_[slot] = static_cast<uint32_t>(names_.size());
        return slots_[slot] - 1;
      }
      const uint32_t number = slots_[slot] - 1;
      if (hashes_[number] == hash && names_[number] == list) return number;
    }
  }

  // Each list's name, by number.
  const std::vector<std::string_view>& names() const { return names_; }

 private:
  void Rehash(size_t slots) {
    slots_.assign(slots, 0);
    for (uint32_t number = 0; number < names_.size(); ++number) {
      size_t slot = hashes_[number] & (slots - 1);
      while (slots_[slot] != 0) slot = (slot + 1) & (slots - 1);
      slots_[slot] = number + 1;
    }
  }

  std::vector<uint32_t> slots_;  // 0 when free, else 1 + a list's number
  std::vector<std::string_view> names_;
  std::vector<uint64_t> hashes_;
};

// New blocks at the list's end for the appends among [begin, end), counted into `count`.
void AppendBlocks(std::string_view list, ChangeIt begin, ChangeIt end, const BlockWriter& out,
                  int64_t& count) {
  std::vector<Entry> block;
  for (ChangeIt it = begin; it != end; ++it) {
    if (it->entry) {
      block.push_back(Entry{it->id, *it->entry});
      ++count;
    }
    if (block.size() == kListBlockEntries || (it + 1 == end && !block.empty())) {
      out.Put(list, block);
      block.clear();
    }
  }
}

// Applies the changes in [begin, end) for documents up to `last` to a block's `entries`, adding
// the change in their number to `count`; returns where the unapplied changes start.
// REQUIRES: one change per document, in order.
ChangeIt ApplyToBlock(ChangeIt begin, ChangeIt end, DocId last, std::vector<Entry>& entries,
                      int64_t& count) {
  std::vector<Entry> merged;
  auto old = entries.begin();
  for (; begin != end && begin->id <= last; ++begin) {
    const ListChange& change = *begin;
    for (; old != entries.end() && old->id < change.id; ++old) merged.push_back(*old);
    if (old != entries.end() && old->id == change.id) {
      ++old;
      --count;
    }
    if (change.entry) {
      merged.push_back(Entry{change.id, *change.entry});
      ++count;
    }
  }
  merged.insert(merged.end(), old, entries.end());
  entries = std::move(merged);
  return begin;
}

// Rewrites the stored blocks that hold the changed documents, and appends the rest.
Status RewriteBlocks(rocksdb::Iterator& it, std::string_view list,
                     std::span<const ListChange> changes, const BlockWriter& out, int64_t& count) {
  std::vector<Entry> entries;
  std::string_view summary;
  for (ChangeIt next = changes.data(); next != changes.data() + changes.size();) {
    it.Seek(BlockKey(list, next->id));
    const std::optional<DocId> last =
        it.Valid() ? BlockLastId(it.key().ToStringView(), list) : std::nullopt;
    if (!last) {
      AppendBlocks(list, next, changes.data() + changes.size(), out, count);
      break;
    }
    if (!DecodeBlock(it.value().ToStringView(), entries, summary)) {
      return Status::Corruption("a block of an index list is damaged; run quire verify");
    }
    next = ApplyToBlock(next, changes.data() + changes.size(), *last, entries, count);
    out.out.Delete(out.column, it.key().ToStringView());
    if (!entries.empty()) out.Put(list, entries);
  }
  return ToStatus(it.status(), "reading the index lists");
}

// Adds one list's changes (in commit order) to `out`, and the change in its number of entries
// to `counts`, unless none.
Status WriteList(rocksdb::Iterator& it, std::string_view list, std::span<ListChange> changes,
                 const BlockWriter& out, std::vector<DeferredWrites::Sum>& counts,
                 DocId written_through) {
  // Each document's last change, in document order. Commits come in document order, one change
  // per list each but when re-indexing: checked first, as a bulk write has a hundred thousand
  // lists, and sorting and copying each cost it an allocation.
  const auto by_id = [](const ListChange& a, const ListChange& b) { return a.id < b.id; };
  const auto not_after = [](const ListChange& a, const ListChange& b) { return a.id >= b.id; };
  std::span<const ListChange> last = changes;
  std::vector<ListChange> last_of_each;
  if (std::adjacent_find(changes.begin(), changes.end(), not_after) != changes.end()) {
    std::stable_sort(changes.begin(), changes.end(), by_id);
    for (size_t i = 0; i < changes.size(); ++i) {
      if (i + 1 == changes.size() || changes[i + 1].id != changes[i].id) {
        last_of_each.push_back(changes[i]);
      }
    }
    last = last_of_each;
  }
  int64_t count = 0;
  if (last.front().id > written_through) {
    AppendBlocks(list, last.data(), last.data() + last.size(), out, count);
  } else {
    QUIRE_RETURN_IF_ERROR(RewriteBlocks(it, list, last, out, count));
  }
  if (count != 0) counts.push_back(DeferredWrites::Sum{list, count, /*set=*/false});
  return Status::Ok();
}

class BlockListIterator : public ListIterator {
 public:
  BlockListIterator(std::unique_ptr<rocksdb::Iterator> it, std::string_view list)
      : it_(std::move(it)), list_(list) {}

  bool Valid() const override { return pos_ < entries_.size(); }

  void Seek(DocId target) override {
    if (Valid() && target <= entries_.back().id) {
      Advance(target);
      return;
    }
    // The target mostly lies in the next block (an AND of a frequent term with a rarer one asks
    // for a few documents of each block of the frequent one): a step, and a look at the next
    // block's key, cost much less than a seek.
    if (Valid()) {
      it_->Next();
      const std::optional<DocId> next_last =
          it_->Valid() ? BlockLastId(it_->key().ToStringView(), list_) : std::nullopt;
      if (!next_last || *next_last >= target) {
        Load();
        if (Valid()) Advance(target);
        return;
      }
    }
    it_->Seek(BlockKey(list_, target));
    Load();
    if (Valid()) Advance(target);
  }

  void Next() override {
    if (++pos_ < entries_.size()) return;
    it_->Next();
    Load();
  }

  DocId id() const override { return entries_[pos_].id; }
  std::string_view entry() const override { return entries_[pos_].bytes; }
  DocId BlockLast() const override { return entries_.back().id; }
  std::string_view BlockSummary() const override { return summary_; }
  Status status() const override {
    if (!status_.ok()) return status_;
    return ToStatus(it_->status(), "reading an index list");
  }

 private:
  // Forward within the loaded block, to the first entry >= target (never back).
  void Advance(DocId target) {
    // Readers mostly move to the next entry or one close by: a few steps before a binary search
    // (Seek was a tenth of a frequent word's search).
    constexpr int kSteps = 4;
    for (int i = 0; i < kSteps && pos_ < entries_.size(); ++i, ++pos_) {
      if (entries_[pos_].id >= target) return;
    }
    const auto from = entries_.begin() + pos_;
    pos_ = std::lower_bound(from, entries_.end(), target,
                            [](const Entry& e, DocId id) { return e.id < id; }) -
           entries_.begin();
    if (!Valid()) Next();  // a block key lying about its last id: go on to the next block
  }

  void Load() {
    entries_.clear();
    pos_ = 0;
    if (!it_->Valid() || !BlockLastId(it_->key().ToStringView(), list_)) return;
    if (!DecodeBlock(it_->value().ToStringView(), entries_, summary_)) {
      entries_.clear();
      status_ = Status::Corruption("a block of the index list '" + PrintableList() +
                                   "' is damaged; run quire verify");
    }
  }

  std::string PrintableList() const {
    std::string printable;
    for (char c : list_) printable.push_back(c == '\0' ? ' ' : c);
    return printable;
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  const std::string list_;
  std::vector<Entry> entries_;  // the current block's, views into it_->value()
  std::string_view summary_;    // likewise
  size_t pos_ = 0;
  Status status_;
};

}  // namespace

void BatchWrites::Put(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                      std::string_view value) {
  if (first_error_.ok()) first_error_ = batch_.Put(column, ToSlice(key), ToSlice(value));
}

void BatchWrites::Merge(rocksdb::ColumnFamilyHandle* column, std::string_view key,
                        std::string_view value) {
  if (first_error_.ok()) first_error_ = batch_.Merge(column, ToSlice(key), ToSlice(value));
}

void BatchWrites::Delete(rocksdb::ColumnFamilyHandle* column, std::string_view key) {
  if (first_error_.ok()) first_error_ = batch_.Delete(column, ToSlice(key));
}

Status BatchWrites::status() const { return ToStatus(first_error_, "writing the index"); }

std::string_view DeferredWrites::Copy(std::string_view bytes) {
  if (arenas_.empty()) arenas_.push_back(std::make_unique<std::pmr::monotonic_buffer_resource>());
  char* copy = static_cast<char*>(arenas_.back()->allocate(bytes.size(), 1));
  std::copy(bytes.begin(), bytes.end(), copy);
  return std::string_view(copy, bytes.size());
}

void DeferredWrites::Add(std::string_view key, int64_t delta) {
  sums_.push_back(Sum{Copy(key), delta, /*set=*/false});
}

void DeferredWrites::Set(std::string_view key, int64_t value) {
  sums_.push_back(Sum{Copy(key), value, /*set=*/true});
}

void DeferredWrites::Change(std::string_view list, DocId id,
                            std::optional<std::string_view> entry) {
  if (entry) entry = Copy(*entry);
  changes_.push_back(ListChange{Copy(list), id, entry});
}

void DeferredWrites::Clear() {
  sums_.clear();
  changes_.clear();
  arenas_.clear();
}

void DeferredWrites::Truncate(Mark mark) {
  // The bytes of the forgotten writes stay in the arena until Clear.
  sums_.resize(std::min(mark.sums, sums_.size()));
  changes_.resize(std::min(mark.changes, changes_.size()));
}

void DeferredWrites::Take(DeferredWrites&& later) {
  sums_.insert(sums_.end(), later.sums_.begin(), later.sums_.end());
  changes_.insert(changes_.end(), later.changes_.begin(), later.changes_.end());
  std::move(later.arenas_.begin(), later.arenas_.end(), std::back_inserter(arenas_));
  later = DeferredWrites();
}

bool DeferredWrites::OnlyAppends(DocId written_through) const {
  return std::all_of(changes_.begin(), changes_.end(),
                     [&](const ListChange& change) { return change.id > written_through; });
}

Status DeferredWrites::Write(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* sums,
                             rocksdb::ColumnFamilyHandle* lists, const Indexer* indexer,
                             DocId written_through, IndexWrites& out) const {
  if (empty()) return Status::Ok();  // e.g. a correction with no indexer: no list to read
  // The changes laid out list by list, in list name order, each list's in commit order (a
  // counting sort by list number): lists get many changes each, so they are numbered in a table
  // and their names sorted.
  ListNumbers numbers(changes_.size() / 8);  // most lists change in several documents
  std::vector<uint32_t> number_of(changes_.size());
  for (size_t i = 0; i < changes_.size(); ++i) number_of[i] = numbers.Number(changes_[i].list);
  const std::vector<std::string_view>& names = numbers.names();
  std::vector<uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  std::vector<size_t> size(names.size()), next(names.size());
  for (uint32_t number : number_of) ++size[number];
  size_t start = 0;
  for (uint32_t number : order) {
    next[number] = start;
    start += size[number];
  }
  std::vector<ListChange> grouped(changes_.size());
  for (size_t i = 0; i < changes_.size(); ++i) grouped[next[number_of[i]]++] = changes_[i];
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), lists));
  const BlockWriter blocks{lists, indexer, out};
  std::vector<Sum> counts;  // in list name order
  std::span<ListChange> rest = grouped;
  for (uint32_t number : order) {
    QUIRE_RETURN_IF_ERROR(
        WriteList(*it, names[number], rest.first(size[number]), blocks, counts, written_through));
    rest = rest.subspan(size[number]);
  }
  // Summed keys are mostly distinct (the spelling index's), so they are sorted rather than
  // hashed, then merged with the lists' counts: in key order, as the memtable takes keys much
  // faster than scattered ones, and as table files require.
  std::vector<SortableSum> sorted_sums;
  sorted_sums.reserve(sums_.size() + counts.size());
  for (const Sum& sum : sums_) sorted_sums.push_back(SortableSum{SortPrefix(sum.key), sum});
  const auto before = [](const SortableSum& a, const SortableSum& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.sum.key < b.sum.key;
  };
  std::sort(sorted_sums.begin(), sorted_sums.end(), before);
  const size_t sorted = sorted_sums.size();
  for (const Sum& count : counts) sorted_sums.push_back(SortableSum{SortPrefix(count.key), count});
  // Stable: a list's count comes after a sum of the same key, as the writes were made.
  std::inplace_merge(sorted_sums.begin(), sorted_sums.begin() + sorted, sorted_sums.end(), before);
  for (size_t i = 0; i < sorted_sums.size();) {
    const std::string_view key = sorted_sums[i].sum.key;
    int64_t total = 0;
    bool set = false;  // a key is set or added to, never both (IndexBatch::Set)
    for (; i < sorted_sums.size() && sorted_sums[i].sum.key == key; ++i) {
      set |= sorted_sums[i].sum.set;
      total = sorted_sums[i].sum.set ? sorted_sums[i].sum.delta : total + sorted_sums[i].sum.delta;
    }
    if (set) {
      out.Put(sums, key, EncodeInt64Le(total));
    } else if (total != 0) {
      out.Merge(sums, key, EncodeInt64Le(total));
    }
  }
  return out.status();
}

std::unique_ptr<ListIterator> NewBlockListIterator(rocksdb::DB& db,
                                                   rocksdb::ColumnFamilyHandle* column,
                                                   std::string_view list) {
  return std::make_unique<BlockListIterator>(
      std::unique_ptr<rocksdb::Iterator>(db.NewIterator(rocksdb::ReadOptions(), column)), list);
}

}  // namespace quire::store
