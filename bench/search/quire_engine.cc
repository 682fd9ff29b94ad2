#include "engines.h"
#include "quire/index/index.h"

namespace quire::bench {
namespace {

// Commits whose postings are gathered before they are written in bulk, as a big import would set
// ArchiveOptions::index_buffer_documents: one block per term per 8192 documents.
constexpr int kBulkIndexBuffer = 8192;

class QuireEngine : public SearchEngine {
 public:
  QuireEngine(std::string dir, std::unique_ptr<store::Archive> archive)
      : dir_(std::move(dir)), archive_(std::move(archive)) {}

  const char* name() const override { return "quire"; }

  Status Add(const BenchDocument&, const store::NewDocument& ingested, uint64_t) override {
    return archive_->Commit(ingested, hook_).status();
  }

  // Compacting settles the archive as its background compactions would over the next minutes,
  // which would otherwise compete with the queries; closing syncs the unsynced commits. The
  // archive is then opened as `quire search` opens it.
  Status Finish() override {
    QUIRE_RETURN_IF_ERROR(archive_->Compact());
    archive_.reset();
    Result<std::unique_ptr<store::Archive>> reopened = store::Archive::Open(dir_);
    if (!reopened.ok()) return reopened.status();
    archive_ = std::move(*reopened);
    searcher_ = std::make_unique<index::Searcher>(*archive_);
    return Status::Ok();
  }

  bool Supports(const BenchQuery&) const override { return true; }

  Result<int> Run(const BenchQuery& query) override {
    index::SearchOptions options;
    options.limit = kResultLimit;
    Result<index::SearchResults> results = searcher_->Search(query.quire, options);
    if (!results.ok()) return results.status().WithContext(query.quire);
    return static_cast<int>(results->hits.size());
  }

 private:
  std::string dir_;
  std::unique_ptr<store::Archive> archive_;
  std::unique_ptr<index::Searcher> searcher_;
  const store::IndexHook hook_ = index::MakeIndexHook();
};

}  // namespace

Result<std::unique_ptr<SearchEngine>> OpenQuire(const std::string& dir) {
  store::ArchiveOptions options = index::IndexedArchiveOptions();
  options.sync_commits = false;
  options.index_buffer_documents = kBulkIndexBuffer;
  Result<std::unique_ptr<store::Archive>> archive = store::Archive::Open(dir, options);
  if (!archive.ok()) return archive.status();
  return std::unique_ptr<SearchEngine>(new QuireEngine(dir, std::move(*archive)));
}

}  // namespace quire::bench
