// Builds one document's index entries: postings buffered per term in memory, then written into
// the commit's IndexBatch in one go (Xapian's inverter), with the statistics and the document's
// own entry that searching needs. The index keeps no list of a document's terms: un-indexing
// derives them again from the stored document, as FTS5's external content tables do, so the
// tokenizer of one archive must not change between indexing and un-indexing (as for searching).
#pragma once

#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "postings.h"
#include "quire/index/index.h"
#include "quire/store/archive.h"
#include "tokenizer.h"

namespace quire::index {

class Inverter {
 public:
  explicit Inverter(Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

  // Indexes every term of the word at `position`. Words with no terms (punctuation) do not count
  // towards the document's length. REQUIRES: positions ascend from call to call.
  void AddWord(Position position, std::string_view text);
  // A term that selects the document without ranking it (field filters); it has no positions.
  void AddFilterTerm(const std::string& term);

  // Writes the buffered postings, the statistics and the document's entry, with
  // meta.length set to the words added.
  void Flush(DocId id, DocMeta meta, store::IndexBatch& batch) const;

  // The distinct terms added, in no particular order.
  std::vector<std::string> Terms() const;

 private:
  // The term's positions, an empty list when it is new.
  std::pmr::vector<Position>& Positions(std::string_view term);

  struct TermHash {
    using is_transparent = void;
    size_t operator()(std::string_view term) const { return std::hash<std::string_view>()(term); }
  };

  Tokenizer& tokenizer_;
  // The document's terms and positions come from one arena, freed at once with the inverter:
  // a document has hundreds of terms, and allocating each apart cost more than indexing them.
  std::pmr::monotonic_buffer_resource arena_;
  std::pmr::unordered_map<std::pmr::string, std::pmr::vector<Position>, TermHash, std::equal_to<>>
      postings_{&arena_};
  uint32_t length_ = 0;
};

// The distinct terms the index holds for `doc` (postings and filter terms).
Result<std::vector<std::string>> DocumentTerms(const store::NewDocument& doc,
                                               const IndexOptions& options);

// Adds to `batch` whatever removes document `id` from the index, given the document it was
// indexed from (its stored form); nothing when it is not indexed.
Status UnindexDocument(store::Archive& archive, DocId id, const store::NewDocument& indexed,
                       const IndexOptions& options, store::IndexBatch& batch);

// The "v" keys of a document's range filter values.
std::vector<std::string> RangeKeys(DocId id, const DocMeta& meta);

}  // namespace quire::index
