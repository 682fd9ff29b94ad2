// Whole-archive work: verify, backup and stats. Verify and stats read one snapshot, and a backup
// is a RocksDB checkpoint, so a commit running at the same time is either wholly seen or not at
// all.
#include <rocksdb/utilities/checkpoint.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "quire/common/hash.h"
#include "rocks_archive.h"
#include "rocks_status.h"

namespace quire::store {
namespace {

namespace fs = std::filesystem;

int64_t FolderBytes(const std::string& dir) {
  int64_t bytes = 0;
  std::error_code error;
  // Without exceptions: RocksDB may delete obsolete files while we walk the folder.
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const uintmax_t size = it->file_size(error);
    if (!error) bytes += static_cast<int64_t>(size);
    error.clear();
  }
  return bytes;
}

}  // namespace

Status RocksArchive::VerifyOriginal(const rocksdb::ReadOptions& options, std::string_view sha256,
                                    DocId holder, std::vector<std::string>& problems) {
  const std::string name = "original " + std::string(sha256) + " (" + DocumentName(holder) + ")";
  Result<std::optional<std::string>> bytes = ReadOriginal(options, sha256);
  if (!bytes.ok() && bytes.status().code() == Status::Code::kCorruption) {
    problems.push_back(name + ": " + bytes.status().message());
    return Status::Ok();
  }
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    problems.push_back(name + " is missing");
    return Status::Ok();
  }
  const std::string actual = Sha256Hex(**bytes);
  if (actual != sha256) {
    problems.push_back(name + ": its bytes hash to " + actual + "; the stored copy is damaged");
  }
  return Status::Ok();
}

Status RocksArchive::VerifyOriginals(const rocksdb::ReadOptions& options,
                                     std::vector<std::string>& problems) {
  // References are sorted by SHA-256, so each original is read once, when its first reference
  // comes by. Reading originals one by one (rather than iterating them) lets one damaged original
  // be named without hiding the others.
  std::string last_sha256;
  return ForEach(Column::kOriginalRefs, options, "", [&](std::string_view key, std::string_view) {
    const std::string sha256(key.substr(0, kSha256HexSize));
    const DocId id = DocIdOfRefKey(key);
    Result<DocumentSummary> summary = ReadSummary(options, id);
    if (!summary.ok() || summary->sha256 != sha256) {
      problems.push_back("original " + sha256 + " is referenced by " + DocumentName(id) +
                         ", which does not hold it");
    }
    if (sha256 == last_sha256) return Status::Ok();
    last_sha256 = sha256;
    return VerifyOriginal(options, sha256, id, problems);
  });
}

Status RocksArchive::VerifyDocuments(const rocksdb::ReadOptions& options,
                                     std::vector<std::string>& problems) {
  std::map<DocId, int> stored_pages;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kPages, options, "", [&](std::string_view key, std::string_view) {
        ++stored_pages[DocIdOfKey(key)];
        return Status::Ok();
      }));
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kDocuments, options, "", [&](std::string_view key, std::string_view value) {
        const DocId id = DocIdOfKey(key);
        Result<DocumentSummary> summary = DecodeSummary(id, value);
        if (!summary.ok()) {
          problems.push_back(DocumentName(id) + ": " + summary.status().message());
          return Status::Ok();
        }
        // With its reference in place, VerifyOriginals checks the original itself.
        QUIRE_ASSIGN_OR_RETURN(
            std::optional<std::string> ref,
            GetValue(Column::kOriginalRefs, options, RefKey(summary->sha256, id)));
        if (!ref.has_value()) {
          problems.push_back(DocumentName(id) + ": its original " + summary->sha256 +
                             " has no reference to it");
        }
        QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> fields,
                               GetValue(Column::kFields, options, key));
        if (!fields.has_value()) problems.push_back(DocumentName(id) + ": its fields are missing");
        const int pages = stored_pages[id];
        stored_pages.erase(id);
        if (pages != summary->pages) {
          problems.push_back(DocumentName(id) + ": " + std::to_string(pages) + " of its " +
                             std::to_string(summary->pages) + " pages are stored");
        }
        return Status::Ok();
      }));
  for (const auto& [id, count] : stored_pages) {
    problems.push_back(std::to_string(count) + " pages are stored for " + DocumentName(id) +
                       ", which does not exist");
  }
  return Status::Ok();
}

Status RocksArchive::Verify(std::vector<std::string>& problems) {
  const SnapshotReads reads(db_.get());
  const rocksdb::ReadOptions& options = reads.options();
  const size_t problems_before = problems.size();
  // A check that stops on data RocksDB finds corrupt (a bad block checksum) is one more problem;
  // the other checks still run. Any other failure ends the verification.
  auto report = [&](const Status& status) {
    if (status.code() != Status::Code::kCorruption) return status;
    problems.push_back(status.message());
    return Status::Ok();
  };
  QUIRE_RETURN_IF_ERROR(report(VerifyOriginals(options, problems)));
  QUIRE_RETURN_IF_ERROR(report(VerifyDocuments(options, problems)));
  QUIRE_RETURN_IF_ERROR(report(VerifyTally(options, problems)));

  const size_t found = problems.size() - problems_before;
  if (found == 0) return Status::Ok();
  return Status::Corruption(
      "the archive " + dir_ + " has " + std::to_string(found) +
      " problem(s); restore it from a backup or re-ingest the documents named");
}

Status RocksArchive::Backup(const std::string& dest) {
  // A backup holds the index as written; the deferred writes go in first, so that it has no
  // documents to index again when it opens.
  QUIRE_RETURN_IF_ERROR(FlushIndex());
  std::error_code error;
  if (fs::exists(dest, error)) {
    return Status::InvalidArgument("the backup destination " + dest +
                                   " already exists; name a new folder (a backup never "
                                   "overwrites anything)");
  }
  const fs::path parent = fs::absolute(dest, error).parent_path();
  if (!fs::is_directory(parent, error)) {
    return Status::InvalidArgument("the backup destination " + dest + " is in " + parent.string() +
                                   ", which is not a folder: create it first, or name a new "
                                   "folder in one that exists");
  }
  rocksdb::Checkpoint* raw_checkpoint = nullptr;
  QUIRE_RETURN_IF_ERROR(
      ToStatus(rocksdb::Checkpoint::Create(db_.get(), &raw_checkpoint), "backing up " + dir_));
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
  return ToStatus(checkpoint->CreateCheckpoint(dest), "writing the backup to " + dest);
}

Status RocksArchive::Compact() {
  QUIRE_RETURN_IF_ERROR(CheckWritable());
  QUIRE_RETURN_IF_ERROR(FlushIndex());
  // Split over every core: RocksDB runs one compaction at a time on its own, and someone who
  // compacts waits for it (the last sixth of a bulk import in bench_search). Subcompactions split
  // a column family's compaction where RocksDB can; the column families themselves are compacted
  // one per core at a time, the largest first (bench_search at 100k: 9.8 s on one thread, 5.9 s
  // on two).
  rocksdb::CompactRangeOptions options;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  options.max_subcompactions = cores;
  // Files already in the last level are rewritten too, once: else RocksDB rewrites them in the
  // background when the archive is next opened (their sequence numbers can then be dropped),
  // and searches compete with that (bench_search at 1M: wall p99 several times the CPU p99).
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  std::vector<std::pair<uint64_t, rocksdb::ColumnFamilyHandle*>> largest_first;
  for (rocksdb::ColumnFamilyHandle* column : columns_) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(column, &meta);
    largest_first.emplace_back(meta.size, column);
  }
  std::ranges::sort(largest_first, std::greater{}, [](const auto& sized) { return sized.first; });
  std::vector<rocksdb::Status> results(largest_first.size());
  std::atomic<size_t> next{0};
  const auto compact_next = [&] {
    for (size_t i; (i = next++) < largest_first.size();) {
      results[i] = db_->CompactRange(options, largest_first[i].second, nullptr, nullptr);
    }
  };
  std::vector<std::jthread> helpers;
  for (unsigned k = 1; k < cores; ++k) helpers.emplace_back(compact_next);
  compact_next();
  helpers.clear();  // joins them
  for (const rocksdb::Status& result : results) {
    QUIRE_RETURN_IF_ERROR(ToStatus(result, "compacting " + dir_));
  }
  return Status::Ok();
}

Result<Archive::Stats> RocksArchive::GetStats() {
  QUIRE_ASSIGN_OR_RETURN(Tally tally, ReadTally(rocksdb::ReadOptions()));
  Stats stats;
  stats.documents = tally.documents;
  stats.pages = tally.pages;
  stats.needs_review = tally.needs_review;
  stats.originals = tally.originals;
  stats.original_bytes = tally.original_bytes;
  stats.disk_bytes = FolderBytes(dir_);
  return stats;
}

Result<Tally> RocksArchive::CountRecords(const rocksdb::ReadOptions& options,
                                         std::vector<DocId>* to_review) {
  Tally tally;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kDocuments, options, "", [&](std::string_view key, std::string_view value) {
        Result<DocumentSummary> summary = DecodeSummary(DocIdOfKey(key), value);
        if (!summary.ok()) return summary.status().WithContext(DocumentName(DocIdOfKey(key)));
        tally += {
            .documents = 1, .pages = summary->pages, .needs_review = summary->needs_review ? 1 : 0};
        if (summary->needs_review && to_review) to_review->push_back(summary->id);
        return Status::Ok();
      }));
  // References are sorted by SHA-256, so one original's references are adjacent; they carry its
  // size, so the originals themselves are not read.
  std::string last_sha256;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kOriginalRefs, options, "", [&](std::string_view key, std::string_view size) {
        const std::string_view sha256 = key.substr(0, kSha256HexSize);
        if (sha256 == last_sha256) return Status::Ok();
        if (size.size() != 8) {
          return Status::Corruption("original " + std::string(sha256) +
                                    ": its size record is damaged; run quire verify");
        }
        last_sha256 = sha256;
        tally += {.originals = 1, .original_bytes = static_cast<int64_t>(DecodeFixed64(size))};
        return Status::Ok();
      }));
  return tally;
}

Status RocksArchive::VerifyTally(const rocksdb::ReadOptions& options,
                                 std::vector<std::string>& problems) {
  if (!tallied_) return Status::Ok();
  QUIRE_ASSIGN_OR_RETURN(Tally kept, ReadTally(options));
  QUIRE_ASSIGN_OR_RETURN(Tally counted, CountRecords(options));
  auto counts = [](const Tally& t) {
    return std::to_string(t.documents) + " documents, " + std::to_string(t.pages) + " pages, " +
           std::to_string(t.needs_review) + " to review, " + std::to_string(t.originals) +
           " originals of " + std::to_string(t.original_bytes) + " bytes";
  };
  if (!(kept == counted)) {
    problems.push_back("the archive's counts (" + counts(kept) + ") disagree with its records (" +
                       counts(counted) + ")");
  }
  // As many marks as documents needing review, each on one of them: the queue is complete.
  int64_t marks = 0;
  QUIRE_RETURN_IF_ERROR(
      ForEach(Column::kMeta, options, kReviewKeys, [&](std::string_view key, std::string_view) {
        ++marks;
        const DocId id = DocIdOfReviewKey(key);
        Result<DocumentSummary> summary = ReadSummary(options, id);
        if (!summary.ok() || !summary->needs_review) {
          problems.push_back(DocumentName(id) + " is in the review queue but needs no review");
        }
        return Status::Ok();
      }));
  if (marks != counted.needs_review) {
    problems.push_back(std::to_string(counted.needs_review) + " documents need review, but " +
                       std::to_string(marks) + " are in the review queue");
  }
  return Status::Ok();
}

}  // namespace quire::store
