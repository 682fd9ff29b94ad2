#include <time.h>

#include <chrono>
#include <iostream>

#include "quire/index/index.h"
#include "search_engine.h"

namespace quire::bench {
namespace {

class QuireEngine : public SearchEngine {
 public:
  QuireEngine(std::string dir, std::unique_ptr<store::Archive> archive)
      : dir_(std::move(dir)), archive_(std::move(archive)) {}

  const char* name() const override { return "quire"; }

  Status Add(const BenchDocument&, const store::NewDocument& ingested, uint64_t) override {
    added_ = true;
    return archive_->Commit(ingested).status();
  }

  // Compacting settles the archive as its background compactions would over the next minutes,
  // which would otherwise compete with the queries; closing syncs the unsynced commits. The
  // archive is then opened as `quire search` opens it. A kept archive queried again (--reuse,
  // --repeat-query) was settled when it was built: compacting it again would rewrite it whole.
  Status Finish() override {
    if (added_) QUIRE_RETURN_IF_ERROR(archive_->Compact());
    archive_.reset();
    QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<store::Archive> reopened, store::Archive::Open(dir_));
    archive_ = std::move(reopened);
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
  bool added_ = false;
};

}  // namespace

Result<std::unique_ptr<SearchEngine>> OpenQuire(const std::string& dir) {
  // As quire import writes.
  QUIRE_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Archive> archive,
      store::Archive::Open(dir, store::ForBulkImport(index::IndexedArchiveOptions())));
  return std::unique_ptr<SearchEngine>(new QuireEngine(dir, std::move(archive)));
}

namespace {

// CPU seconds of the whole process (`clock` CLOCK_PROCESS_CPUTIME_ID) or of the calling thread.
double CpuSeconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

Result<double> BuildCorpus(const CorpusModel& model, uint64_t n, SearchEngine& engine) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  Clock::duration spent{};
  // The CPU time of every thread but the corpus's making: on a machine others share, a truer
  // measure of the work than the wall time.
  const double cpu_start = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  double making = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const double making_start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    const BenchDocument doc = model.Generate(i);
    const store::NewDocument ingested = CorpusModel::ToNewDocument(doc, i);
    making += CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - making_start;
    const Clock::time_point start = Clock::now();
    QUIRE_RETURN_IF_ERROR(engine.Add(doc, ingested, i));
    spent += Clock::now() - start;
    if ((i + 1) % (n / 10 == 0 ? n : n / 10) == 0) {
      std::cerr << "  " << engine.name() << ": " << i + 1 << " documents, "
                << static_cast<int>(static_cast<double>(i + 1) / seconds(spent)) << "/s\n";
    }
  }
  const Clock::time_point start = Clock::now();
  QUIRE_RETURN_IF_ERROR(engine.Finish());
  const Clock::duration finishing = Clock::now() - start;
  spent += finishing;
  const double cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start - making;
  std::cerr << "  " << engine.name() << ": built in " << seconds(spent) << " s (finishing "
            << seconds(finishing) << " s), " << cpu << " s of CPU ("
            << cpu / static_cast<double>(n) * 1e6 << " us a document)\n";
  return static_cast<double>(n) / seconds(spent);
}

}  // namespace quire::bench
