#include "archive_checks.h"

#include <catch2/catch.hpp>

#include "quire/common/hash.h"
#include "schema.h"

namespace quire::store::testing {
namespace {

// Checks that a verify pass ran and found nothing wrong.
void CheckFoundNothing(const Status& verified, const std::vector<std::string>& problems) {
  INFO(verified.ToString());
  for (const std::string& problem : problems) UNSCOPED_INFO(problem);
  CHECK(verified.ok());
  CHECK(problems.empty());
}

}  // namespace

std::unique_ptr<Archive> OpenOrFail(const std::string& dir, const ArchiveOptions& options) {
  Result<std::unique_ptr<Archive>> archive = Archive::Open(dir, options);
  INFO(archive.status().ToString());
  REQUIRE(archive.ok());
  return std::move(*archive);
}

void CheckWhole(Archive& archive, const DocumentSummary& summary) {
  INFO(DocumentName(summary.id));
  Result<DocumentRecord> record = archive.Get(summary.id);
  REQUIRE(record.ok());
  CHECK(record->pages.size() == static_cast<size_t>(summary.pages));
  CHECK(record->extraction.fields.count("total") == 1);
  REQUIRE_FALSE(record->history.empty());
  CHECK(record->history[0].action == "ingested");
  Result<std::string> original = archive.GetOriginal(summary.id);
  REQUIRE(original.ok());
  CHECK(Sha256Hex(*original) == summary.sha256);
}

void CheckVerified(Archive& archive) {
  std::vector<std::string> problems;
  const Status verified = archive.Verify(problems);
  CheckFoundNothing(verified, problems);
}

void CheckIndexed(Archive& archive, size_t documents) {
  index::Searcher searcher(archive);
  std::vector<std::string> problems;
  const Status verified = searcher.Verify(problems);
  CheckFoundNothing(verified, problems);
  Result<index::SearchResults> found =
      searcher.Search("total:120", index::SearchOptions{.limit = 100000});
  REQUIRE(found.ok());
  CHECK(found->hits.size() == documents);
  // Counted exactly up to a bound (a bulk import's writer gets past it), then "at least" as many
  // as the hits, here all of them.
  CHECK(found->total == int64_t(documents));
  CHECK(found->total_exact == (int64_t(documents) <= index::kExactTotalLimit));
}

}  // namespace quire::store::testing
