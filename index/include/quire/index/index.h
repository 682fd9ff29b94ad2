// The search index: postings kept in the archive's index columns, ranked with BM25.
//
// The index hooks turn a document's pages and fields into index entries, added to the document's
// own archive commit (see store::IndexHook), so the index and the archive never disagree. Searcher
// parses a query (README.md, "Query language") and returns ranked hits with snippets and the word
// boxes of each hit, so a viewer can mark them on the page image.
//
// Words are case- and accent-folded, codes such as "INV-2024-00731" are findable whole and by
// their parts, and words are also indexed by their Snowball stem, so "invoices" finds "invoice".
//
// Thread safety: the hooks and Searcher are safe to use from several threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::index {

struct IndexOptions {
  // The Snowball stemmer: "english", "german", "french", or another libstemmer algorithm.
  // The hooks and the Searcher of one archive must use the same language.
  // Default: "english".
  std::string language = "english";
};

// The hook that indexes a new document (its pages and extracted fields) inside its archive commit.
store::IndexHook MakeIndexHook(const IndexOptions& options = {});

// The options of an archive the index writes to (the caller sets the others): the index hook for
// the documents a crash left unindexed, and the summary of each block of postings that lets a
// search skip the blocks holding no good enough match.
store::ArchiveOptions IndexedArchiveOptions(const IndexOptions& options = {});

// The hook for Archive::UpdateFields: replaces the document's index entries with entries for
// doc.pages and doc.extraction. The old entries are read through `archive` (GetIndexValue, called
// while the commit runs). REQUIRES: `archive` outlives the hook.
store::IndexHook MakeReindexHook(store::Archive& archive, const IndexOptions& options = {});

// The hook for Archive::Delete: removes the document's index entries (postings, statistics, filter
// values), as recorded when it was indexed; nothing when it is not indexed.
// REQUIRES: `archive` outlives the hook.
store::IndexHook MakeUnindexHook(store::Archive& archive);

struct HitBox {
  int page = 0;  // 0-based
  Box box;
};

struct SearchHit {
  store::DocId id = 0;
  double score = 0;
  std::string type;     // "invoice", ...
  std::string title;    // vendor and number when known, else the source file name
  std::string vendor;   // the extracted fields, "" when not found: vendor_name,
  std::string date;     // invoice_date (ISO), total ("1234.50") and currency (ISO 4217)
  std::string total;
  std::string currency;
  // False when no document had every word of the query and this one has only some of them.
  bool all_words = true;
  std::string snippet;  // text around the hits, each hit marked as [word]
  std::vector<HitBox> hits;
};

enum class SortOrder { kRelevance, kDateNewest, kDateOldest };

struct SearchOptions {
  // Default: 10.
  int limit = 10;
  // Used when the query has no sort: term.
  // Default: kRelevance.
  SortOrder sort = SortOrder::kRelevance;
};

class Searcher {
 public:
  // REQUIRES: `archive` outlives the Searcher.
  explicit Searcher(store::Archive& archive, const IndexOptions& options = {});
  ~Searcher();

  // The best `options.limit` documents for `query`. When no document has every word, the documents
  // with some of them, best first, marked `all_words = false` (OCR may have garbled a word beyond
  // what `~` forgives). InvalidArgument with a message pointing at the problem when the query
  // cannot be parsed ("unclosed quote at column 7").
  Result<std::vector<SearchHit>> Search(const std::string& query, const SearchOptions& options);

  // Checks that every posting points at an indexed document, every indexed document is in the
  // archive and every archive document is indexed, and that each document's terms have their
  // postings and the statistics agree with the postings. Appends one line per problem found; the
  // Status is non-OK only when the check itself could not run.
  Status Verify(std::vector<std::string>& problems);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire::index
