// The search index: postings kept in the archive's index columns, ranked with BM25.
//
// Indexer turns a document's pages and fields into index entries, added to the document's own
// archive commit (see store::IndexHook), so the index and the archive never disagree. Searcher
// parses a query (README.md, "Query language") and returns ranked hits with snippets and the word
// boxes of each hit, so a viewer can mark them on the page image.
//
// Thread safety: both are safe to use from several threads once constructed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::index {

// The hook that indexes a document inside its archive commit.
store::IndexHook MakeIndexHook();

struct HitBox {
  int page = 0;  // 0-based
  Box box;
};

struct SearchHit {
  store::DocId id = 0;
  double score = 0;
  std::string type;     // "invoice", ...
  std::string title;    // vendor and number when known, else the source file name
  std::string snippet;  // text around the hits, each hit marked as [word]
  std::vector<HitBox> hits;
};

enum class SortOrder { kRelevance, kDateNewest, kDateOldest };

struct SearchOptions {
  // Default: 10.
  int limit = 10;
  // Default: kRelevance.
  SortOrder sort = SortOrder::kRelevance;
};

class Searcher {
 public:
  // REQUIRES: `archive` outlives the Searcher.
  explicit Searcher(store::Archive& archive);
  ~Searcher();

  // InvalidArgument with a message pointing at the problem when the query cannot be parsed.
  Result<std::vector<SearchHit>> Search(const std::string& query, const SearchOptions& options);

  // Checks that every posting points at a stored document and every document has postings.
  Status Verify(std::vector<std::string>& problems);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire::index
