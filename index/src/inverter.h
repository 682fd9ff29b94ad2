// Builds one document's index entries: postings buffered per term in memory, then written into
// the commit's IndexBatch in one go (Xapian's inverter), with the statistics and the document's
// own entry (meta and term list) that searching and un-indexing need.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "postings.h"
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

 private:
  Tokenizer& tokenizer_;
  std::map<std::string, std::vector<Position>> postings_;
  uint32_t length_ = 0;
  std::vector<std::string> word_terms_;  // reused between words
};

// Adds to `batch` whatever removes document `id` from the index, as its kDocTerms entries record;
// nothing when it is not indexed.
Status UnindexDocument(store::Archive& archive, DocId id, store::IndexBatch& batch);

// The "v" keys of a document's range filter values.
std::vector<std::string> RangeKeys(DocId id, const DocMeta& meta);

}  // namespace quire::index
