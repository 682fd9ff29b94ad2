// A search engine the benchmarks fill with the synthetic corpus and query, behind one interface:
// quire's archive and index here (the real Archive::Commit path with the index's indexer, and
// Searcher); bench/search adds SQLite FTS5 with its bm25.
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

// Adds documents 0..n-1 of `model` to `engine` and finishes it, logging progress to stderr.
// Returns documents per second, counting the engine's time alone, not the corpus generator's.
Result<double> BuildCorpus(const CorpusModel& model, uint64_t n, SearchEngine& engine);

}  // namespace quire::bench
