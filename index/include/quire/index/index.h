// The search index: postings kept in the archive's index columns, ranked with BM25.
//
// The archive's indexer turns a document's pages and fields into index entries, added to each
// write of the document (see store::Indexer), so the index and the archive never disagree. Searcher
// parses a query (README.md, "Query language": words, phrases, prefixes, fuzzy words, field
// filters, joined by AND, OR, NOT and parentheses) and returns how many documents match, their
// facets, and a page of ranked hits with snippets and the word boxes of each hit, so a viewer can
// mark them on the page image.
//
// Words are case- and accent-folded, codes such as "INV-2024-00731" are findable whole and by
// their parts, and words are also indexed by their Snowball stem, so "invoices" finds "invoice".
//
// Thread safety: the indexer and Searcher are safe to use from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::index {

struct IndexOptions {
  // The Snowball stemmer: "english", "german", "french", or another libstemmer algorithm.
  // The indexer and the Searcher of one archive must use the same language.
  // Default: "english".
  std::string language = "english";
};

// The options of an archive the index writes to (the caller sets the others): its indexer, which
// indexes a document's pages and extracted fields with each commit, replaces its entries with each
// edit and removes them (postings, statistics, filter values, derived again from the stored
// document) with its deletion, and summarizes each block of postings so that a search skips the
// blocks holding no good enough match.
store::ArchiveOptions IndexedArchiveOptions(const IndexOptions& options = {});

struct HitBox {
  int page = 0;  // 0-based
  Box box;
  std::string word;  // the document's word at that box, as read (a field's word for a field box)
};

struct SearchHit {
  store::DocId id = 0;
  double score = 0;
  std::string type;    // "invoice", ...
  std::string title;   // vendor and number when known, else the source file name
  std::string vendor;  // the extracted fields, "" when not found: vendor_name,
  std::string date;    // invoice_date (ISO), total ("1234.50") and currency (ISO 4217)
  std::string total;
  std::string currency;
  // False when no document had every word of the query and this one has only some of them.
  bool all_words = true;
  std::string snippet;  // text around the hits, each hit marked as [word]
  std::vector<HitBox> hits;
};

// A search counts its matches up to SearchOptions::count_limit, kExactTotalLimit unless set (past
// it, `total` is a lower bound, see SearchResults::total), and their facets over the first
// kFacetedMatches of those (in id order: the earliest documents), which reads each one's index
// entry. Past the count, ranking checks a phrase's word positions only in documents whose score
// bounds can still make the page: counting 10,000 matches of a phrase of two frequent words checked
// every document holding both (bench_search at 1M: `"total come"`, 4,300 matches, 42 ms of CPU; 17
// ms counting 1,000).
inline constexpr int64_t kExactTotalLimit = 1000;
inline constexpr int64_t kFacetedMatches = 1000;

enum class SortOrder { kRelevance, kDateNewest, kDateOldest };

struct SearchOptions {
  // Hits to return, at most; 0 for the count and facets alone.
  // Default: 10.
  int limit = 10;
  // Matches to skip, in the order of the results: offset 10 with limit 10 is the second page.
  // Default: 0.
  int offset = 0;
  // Used when the query has no sort: term. A query of filters and exclusions alone gives no
  // relevance, and is ordered newest first (kDateNewest) instead of by relevance.
  // Default: kRelevance.
  SortOrder sort = SortOrder::kRelevance;
  // Matches counted exactly, at least 1: ranking skips documents that cannot make the page only
  // past the count, so a lower bound answers a frequent word sooner.
  // Default: kExactTotalLimit.
  int64_t count_limit = kExactTotalLimit;
};

struct SearchResults {
  // Documents matching; when total_exact is false, at least that many: the matches counted, or
  // offset + hits when more.
  int64_t total = 0;
  bool total_exact = true;
  // False when no document matched every word, and these are the documents with some of them
  // (as each hit's all_words says).
  bool all_words = true;
  std::vector<SearchHit> hits;  // results offset .. offset + limit - 1
  // Counts over the matches (see kFacetedMatches), by "type", "vendor" (the extracted vendor
  // name), "year" (of the document's date), "tag" and "review" ("yes" for documents awaiting
  // review, "no"). Every key is present; documents without a vendor, date or tag count in none
  // of its values.
  std::map<std::string, std::map<std::string, int64_t>> facets;
};

class Searcher {
 public:
  // REQUIRES: `archive` outlives the Searcher.
  explicit Searcher(store::Archive& archive, const IndexOptions& options = {});
  ~Searcher();

  // The documents matching `query`: how many, their facets, and `options.limit` of them from
  // `options.offset` on, best first. Paging with the offset gives each match once (ties in
  // score or date go to the newer document). When nothing matches a query of words side by
  // side, the documents with some of the words, marked `all_words = false` (OCR may have garbled
  // a word beyond what `~` forgives), and the total counts those. InvalidArgument with a message
  // pointing at the problem when the query cannot be parsed ("unclosed quote at column 7").
  Result<SearchResults> Search(const std::string& query, const SearchOptions& options);

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
