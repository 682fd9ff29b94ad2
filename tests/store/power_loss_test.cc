// Power loss, in-process: the archive writes through a PowerLossFs (power_loss_fs.h), the power
// goes off, the disk keeps only what was synced, and the archive is opened again on the real file
// system, with the real index. A killed process (crash_test.cc) loses nothing the kernel has;
// these tests check what the archive promises about syncing (ArchiveOptions::sync_commits).
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "archive_checks.h"
#include "documents.h"
#include "power_loss_fs.h"
#include "quire/index/index.h"
#include "rocks_archive.h"
#include "temp_dir.h"

namespace quire::store {
namespace {

using quire::testing::TempDir;
using testing::CheckIndexed;
using testing::CheckVerified;
using testing::CheckWhole;
using testing::MakeDocument;
using testing::OpenOrFail;
using testing::PowerLossFs;

// The disk an archive is opened on, which can lose power.
struct Disk {
  std::shared_ptr<PowerLossFs> fs = std::make_shared<PowerLossFs>();
  std::unique_ptr<rocksdb::Env> env = testing::NewPowerLossEnv(fs);

  Result<std::unique_ptr<Archive>> Open(const std::string& dir, const ArchiveOptions& options) {
    return RocksArchive::Open(dir, options, env.get());
  }
  std::unique_ptr<Archive> OpenOrFail(const std::string& dir, const ArchiveOptions& options) {
    Result<std::unique_ptr<Archive>> archive = Open(dir, options);
    INFO(archive.status().ToString());
    REQUIRE(archive.ok());
    return std::move(*archive);
  }
};

// Document `i` of a test: one to three pages; every fourth original large enough for a blob file.
NewDocument Document(const std::string& test, int i) {
  const size_t bytes = i % 4 == 0 ? kMinBlobSize + i : 1000 + i;
  return MakeDocument(test + "-" + std::to_string(i), 1 + i % 3, bytes);
}

// Checks that the archive holds `documents` and nothing else, document i under id i + 1, each
// whole and as committed, and that its verify pass and its index find nothing wrong.
void CheckHolds(Archive& archive, const std::vector<NewDocument>& documents) {
  Result<std::vector<DocumentSummary>> listed = archive.List();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == documents.size());
  for (const DocumentSummary& summary : *listed) {
    INFO(DocumentName(summary.id));
    REQUIRE(summary.id >= 1);
    REQUIRE(summary.id <= documents.size());
    const NewDocument& doc = documents[summary.id - 1];
    CHECK(summary.source == doc.source);
    CheckWhole(archive, summary);
    Result<DocumentRecord> record = archive.Get(summary.id);
    REQUIRE(record.ok());
    REQUIRE(record->pages.size() == doc.pages.size());
    for (size_t page = 0; page < doc.pages.size(); ++page) {
      CHECK(record->pages[page].text == doc.pages[page].text);
    }
    Result<std::string> original = archive.GetOriginal(summary.id);
    REQUIRE(original.ok());
    CHECK(*original == doc.original);
  }
  CheckVerified(archive);
  CheckIndexed(archive, documents.size());
}

TEST_CASE("a power loss right after a synced commit keeps every committed document") {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  Disk disk;
  std::vector<NewDocument> committed;  // document i has id i + 1
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    {
      std::unique_ptr<Archive> archive = disk.OpenOrFail(dir, index::IndexedArchiveOptions());
      for (int i = 0; i <= round % 3; ++i) {
        committed.push_back(Document("synced", static_cast<int>(committed.size())));
        Result<CommitResult> result = archive->Commit(committed.back());
        REQUIRE(result.ok());
        REQUIRE(result->id == committed.size());
      }
      disk.fs->CutPower();
    }
    disk.fs->RestorePower();
    CheckHolds(*OpenOrFail(dir), committed);
  }
}

// Rounds of unsynced commits (`options`) into one archive: each round opens it, commits until the
// power goes off before the round's step, and closes it; the last round's step comes after its
// close, so the power goes off once it is closed. After each power loss the archive must open and
// hold the documents of the earlier rounds, then some first commits of this round, each whole; a
// new commit takes the next id. A round has 60 to 120 steps, most of them in the close (a table
// file for each column): each of the first ones is tried, then fewer, so that it takes seconds.
void LosePowerAtEachStep(const ArchiveOptions& options) {
  TempDir tmp;
  const std::string dir = tmp.Sub("archive");
  Disk disk;
  std::vector<NewDocument> kept;  // document i has id i + 1
  for (int step = 1;; step += 1 + step / 6) {
    INFO("power lost before step " << step);
    std::vector<NewDocument> tried;
    {
      std::unique_ptr<Archive> archive = disk.OpenOrFail(dir, options);
      disk.fs->CutPowerBeforeStep(step);
      for (int i = 0; i < 7; ++i) {
        tried.push_back(Document("unsynced", static_cast<int>(kept.size() + tried.size())));
        if (!archive->Commit(tried.back()).ok()) break;
      }
    }
    const bool closed = !disk.fs->power_cut();
    disk.fs->RestorePower();
    std::unique_ptr<Archive> archive = OpenOrFail(dir);
    Result<std::vector<DocumentSummary>> listed = archive->List();
    REQUIRE(listed.ok());
    REQUIRE(listed->size() >= kept.size());
    REQUIRE(listed->size() <= kept.size() + tried.size());
    if (closed) REQUIRE(listed->size() == kept.size() + tried.size());
    kept.insert(kept.end(), tried.begin(), tried.begin() + (listed->size() - kept.size()));
    CheckHolds(*archive, kept);
    kept.push_back(Document("after", step));
    Result<CommitResult> next = archive->Commit(kept.back());
    REQUIRE(next.ok());
    CHECK(next->id == kept.size());
    if (closed) break;
  }
}

TEST_CASE("with unsynced commits a power loss keeps whole documents, and a close keeps them all") {
  ArchiveOptions options = index::IndexedArchiveOptions();
  options.sync_commits = false;
  LosePowerAtEachStep(options);
}

TEST_CASE("a bulk import that loses power keeps whole documents, each indexed once") {
  // Its index buffer is written as table files every few commits, after a sync of the log.
  ArchiveOptions options = ForBulkImport(index::IndexedArchiveOptions());
  options.index_buffer_documents = 3;
  options.index_table_changes = 1;
  LosePowerAtEachStep(options);
}

TEST_CASE("a power loss while the first open creates the archive leaves none or a usable one") {
  // In an existing folder, or three folder levels below it, which the open makes.
  const bool in_new_folders = GENERATE(false, true);
  INFO((in_new_folders ? "in new folders" : "in an existing folder"));
  TempDir tmp;
  Disk disk;
  auto dir = [&](int step) {
    const std::string n = std::to_string(step);
    return in_new_folders ? tmp.Sub("new-" + n + "/a/b/archive") : tmp.Sub("archive-" + n);
  };
  int left_none = 0;
  for (int step = 1;; ++step) {
    INFO("power lost before step " << step);
    disk.fs->CutPowerBeforeStep(step);
    bool opened = false;  // the power stayed on until Open returned
    { opened = disk.Open(dir(step), index::IndexedArchiveOptions()).ok(); }
    const bool closed = !disk.fs->power_cut();
    disk.fs->RestorePower();
    if (!std::filesystem::exists(dir(step))) {
      REQUIRE_FALSE(opened);  // an archive Open gave is there after a power loss
      ++left_none;
      continue;
    }
    std::unique_ptr<Archive> archive = OpenOrFail(dir(step));
    const std::vector<NewDocument> documents = {Document("first", 0)};
    REQUIRE(archive->Commit(documents[0]).ok());
    CheckHolds(*archive, documents);
    if (closed) break;
  }
  REQUIRE(left_none > 0);
  // The next open creates the archive, whatever the power loss left beside it.
  std::unique_ptr<Archive> archive = OpenOrFail(dir(1));
  CheckHolds(*archive, {});
}

}  // namespace
}  // namespace quire::store
