// The two search engines the benchmark compares, behind one interface: quire's archive and index
// (the real Archive::Commit + MakeIndexHook path, and Searcher) and SQLite FTS5 with its bm25.
#pragma once

#include <memory>
#include <string>

#include "corpus.h"
#include "quire/common/status.h"

namespace quire::bench {

// Results asked of every query: the best 10, with snippets, as a search page shows them.
inline constexpr int kResultLimit = 10;

class SearchEngine {
 public:
  virtual ~SearchEngine() = default;
  virtual const char* name() const = 0;
  // Indexes document `index`: one atomic commit of `ingested` for quire, one row of `doc` for
  // FTS5. `ingested` is `doc` as capture hands it to the archive (CorpusModel::ToNewDocument),
  // made before the clock starts, as the page text is for FTS5.
  virtual Status Add(const BenchDocument& doc, const store::NewDocument& ingested,
                     uint64_t index) = 0;
  // Makes every added document durable and searchable.
  virtual Status Finish() = 0;
  virtual bool Supports(const BenchQuery& query) const = 0;
  // Runs the query and returns how many results it gave. REQUIRES: Finish() and Supports(query).
  virtual Result<int> Run(const BenchQuery& query) = 0;
};

// A new quire archive in `dir`, written as a bulk import: unsynced commits
// (ArchiveOptions::sync_commits) and buffered postings (ArchiveOptions::index_buffer_documents).
Result<std::unique_ptr<SearchEngine>> OpenQuire(const std::string& dir);
// A new SQLite database at `path`: an FTS5 table of the page text (porter stemming over
// unicode61 with diacritics removed, as quire folds and stems) and a meta table with B-tree
// indexes on date and total for the field ranges. Rows are inserted in transactions of
// kFtsTransactionRows, FTS5's bulk-load path.
Result<std::unique_ptr<SearchEngine>> OpenFts5(const std::string& path);
inline constexpr int kFtsTransactionRows = 1000;

}  // namespace quire::bench
