#include "ingest.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "cli.h"
#include "parallel.h"
#include "quire/common/file.h"
#include "quire/common/hash.h"
#include "serial_number.h"

namespace quire::app {
namespace fs = std::filesystem;

namespace {

bool IsDocumentExtension(std::string ext) {
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  for (const char* known : {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}) {
    if (ext == known) return true;
  }
  return false;
}

const char* OutcomeName(IngestResult::Outcome outcome) {
  switch (outcome) {
    case IngestResult::Outcome::kStored: return "stored";
    case IngestResult::Outcome::kDuplicate: return "duplicate";
    case IngestResult::Outcome::kFailed: return "failed";
  }
  return "failed";
}

IngestResult Duplicate(const std::string& file, store::DocId id) {
  IngestResult r;
  r.file = file;
  r.outcome = IngestResult::Outcome::kDuplicate;
  r.id = id;
  return r;
}

}  // namespace

IngestResult FailedResult(const std::string& file, const Status& why) {
  IngestResult r;
  r.file = file;
  r.error = why.message();
  // Messages about a file often start with its name (ReadFile's do).
  if (r.error.starts_with(file + ": ")) r.error.erase(0, file.size() + 2);
  return r;
}

nlohmann::json IngestResult::ToJson() const {
  nlohmann::json j = {{"file", file}, {"status", OutcomeName(outcome)}};
  if (outcome == Outcome::kFailed) {
    j["error"] = error;
  } else if (outcome == Outcome::kDuplicate) {
    j["duplicate_of"] = id;
  } else {
    j.update({{"id", id}, {"type", type}, {"pages", pages}, {"needs_review", needs_review}});
  }
  if (!file_pages.empty()) j["file_pages"] = file_pages;
  return j;
}

std::vector<std::string> ListDocumentFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);  // named explicitly: tried whatever it is, so a bad one is reported
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(
             path, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.filename().string().starts_with(".")) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && IsDocumentExtension(p.extension().string())) {
        found.push_back(p.string());
      }
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

Committed CaptureAndCommit(std::string bytes, const std::string& source, const std::string& by,
                           const std::vector<std::string>& tags, capture::Capturer& capturer,
                           const extract::Extractor& extractor, store::Archive& archive,
                           const capture::PageProgress& progress) {
  Result<capture::CapturedDocument> captured = capturer.Capture(bytes, progress);
  if (!captured.ok()) {
    Committed result;
    result.bad_file = captured.status();
    return result;
  }
  return CommitPages(std::move(bytes), captured->format, std::move(captured->pages), source, by,
                     tags, extractor, archive, std::move(captured->cleaned));
}

Extraction ExtractWithImages(const extract::Extractor& extractor, std::string_view original,
                             const std::vector<PageText>& pages,
                             const capture::CaptureOptions& options,
                             std::shared_ptr<const capture::CleanedPages> cleaned) {
  const std::unique_ptr<RegionReader> images =
      capture::OpenRegionReader(original, pages, options, std::move(cleaned));
  return extractor.Extract(pages, images.get());
}

Committed CommitPages(std::string original, const std::string& format, std::vector<PageText> pages,
                      const std::string& source, const std::string& by,
                      const std::vector<std::string>& tags, const extract::Extractor& extractor,
                      store::Archive& archive,
                      std::shared_ptr<const capture::CleanedPages> cleaned) {
  Committed result;
  store::NewDocument doc;
  doc.original = std::move(original);
  doc.source = source;
  doc.format = format;
  doc.pages = std::move(pages);
  // Pages are read with the default cleanup wherever they were read (here, by a worker, during
  // a scan).
  doc.extraction = ExtractWithImages(extractor, doc.original, doc.pages, capture::CaptureOptions{},
                                     std::move(cleaned));
  doc.by = by;
  doc.tags = tags;
  std::unique_lock<std::mutex> serial_number_lock;
  if (ReadSerialNumber(doc.pages)) {
    serial_number_lock = std::unique_lock(SerialNumberLock());
    if (Status s = AssignSerialNumber(doc.pages, archive, doc.extraction); !s.ok()) {
      result.archive_error = s;
      return result;
    }
  }
  Result<store::CommitResult> commit = archive.Commit(doc);
  if (!commit.ok()) {
    result.archive_error = commit.status();
    return result;
  }
  result.commit = *commit;
  result.type = doc.extraction.type;
  result.pages = static_cast<int>(doc.pages.size());
  result.needs_review = doc.extraction.needs_review;
  return result;
}

IngestResult IngestFile(const std::string& file, capture::Capturer& capturer,
                        const extract::Extractor& extractor, store::Archive& archive,
                        const capture::PageProgress& progress) {
  Result<std::string> bytes = ReadFile(file);
  if (!bytes.ok()) return FailedResult(file, bytes.status());

  Result<std::optional<store::DocId>> earlier = archive.FindBySha256(Sha256Hex(*bytes));
  if (!earlier.ok()) return FailedResult(file, earlier.status());
  if (earlier->has_value()) return Duplicate(file, **earlier);

  const Committed c = CaptureAndCommit(std::move(*bytes), file, CurrentUser(), /*tags=*/{},
                                       capturer, extractor, archive, progress);
  if (!c.bad_file.ok()) return FailedResult(file, c.bad_file);
  if (!c.archive_error.ok()) return FailedResult(file, c.archive_error);
  if (c.commit.duplicate) return Duplicate(file, c.commit.id);

  IngestResult r;
  r.file = file;
  r.outcome = IngestResult::Outcome::kStored;
  r.id = c.commit.id;
  r.type = DocumentTypeName(c.type);
  r.pages = c.pages;
  r.needs_review = c.needs_review;
  return r;
}

void IngestFiles(const std::vector<std::string>& files, int jobs, capture::Capturer& capturer,
                 const extract::Extractor& extractor, store::Archive& archive,
                 const std::function<void(size_t, const IngestResult&)>& on_result,
                 const capture::PageProgress& progress, const std::function<bool()>& stopped) {
  std::mutex report_mutex;
  ForEachInParallel(
      files.size(), jobs,
      [&](size_t i) {
        IngestResult result = IngestFile(files[i], capturer, extractor, archive, progress);
        std::lock_guard lock(report_mutex);
        on_result(i, result);
      },
      stopped);
}

}  // namespace quire::app
