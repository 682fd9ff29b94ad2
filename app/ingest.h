// `quire ingest`: files and folders into the archive, one result per document.
//
// Files are read concurrently (`jobs` at a time, their pages sharing the capturer's OCR workers),
// extracted on the same thread, and committed one by one, each in one atomic archive write. An
// original already in the archive is reported as a duplicate without being read again.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quire/capture/capture.h"
#include "quire/capture/separation.h"
#include "quire/extract/extract.h"
#include "quire/store/archive.h"
#include "server_link.h"

namespace quire::app {

struct IngestResult {
  enum class Outcome { kStored, kDuplicate, kFailed };
  std::string file;
  Outcome outcome = Outcome::kFailed;
  store::DocId id = 0;  // the new document, or the earlier one for a duplicate
  std::string type;
  int pages = 0;
  bool needs_review = false;
  std::string error;  // why it failed, and what to do
  // With --separate: the pages of the file this document was made of, e.g. "1-3"; else empty.
  std::string file_pages;

  nlohmann::json ToJson() const;
};

// A file that could not be ingested, and why: the error without the file's name in front, since
// the result carries it.
IngestResult FailedResult(const std::string& file, const Status& why);

// The document files under `paths`: files as given, folders walked recursively for the formats
// quire reads (hidden files and ground-truth files skipped), in a stable order.
std::vector<std::string> ListDocumentFiles(const std::vector<std::string>& paths);

// What became of a file's bytes handed to CaptureAndCommit.
struct Committed {
  // Non-OK when the file could not be read as a document: its own fault, retrying won't help.
  Status bad_file;
  // Non-OK when the archive refused the commit (disk full, I/O error): retry later.
  Status archive_error;
  store::CommitResult commit;
  DocumentType type = DocumentType::kOther;
  int pages = 0;
  bool needs_review = false;
};

// Captures, extracts and commits `bytes` as one document from `source`, ingested `by` someone,
// with `tags` stored in the same commit (store::NewDocument::tags). Safe to call from several
// threads.
Committed CaptureAndCommit(std::string bytes, const std::string& source, const std::string& by,
                           const std::vector<std::string>& tags, capture::Capturer& capturer,
                           const extract::Extractor& extractor, store::Archive& archive,
                           const capture::PageProgress& progress = {});

// `pages`, read from the file whose contents are `original`, extracted with their amounts and
// dates read again from its images (extract.h) as `options` cleaned them, or from `cleaned`
// (CapturedDocument::cleaned; may be null); what ingest, `extract` and `eval fields` extract from
// a file.
Extraction ExtractWithImages(const extract::Extractor& extractor, std::string_view original,
                             const std::vector<PageText>& pages,
                             const capture::CaptureOptions& options,
                             std::shared_ptr<const capture::CleanedPages> cleaned = nullptr);

// Extracts and commits pages already read as one document whose original is `original` (of
// `format`), as CaptureAndCommit does after capture (with its `cleaned` pages, when at hand).
// Safe to call from several threads.
Committed CommitPages(std::string original, const std::string& format, std::vector<PageText> pages,
                      const std::string& source, const std::string& by,
                      const std::vector<std::string>& tags, const extract::Extractor& extractor,
                      store::Archive& archive,
                      std::shared_ptr<const capture::CleanedPages> cleaned = nullptr);

// Reads, extracts and commits one file. Safe to call from several threads.
IngestResult IngestFile(const std::string& file, capture::Capturer& capturer,
                        const extract::Extractor& extractor, store::Archive& archive,
                        const capture::PageProgress& progress = {});

// Ingests `files` with `jobs` threads; `on_result` gets each file's index in `files` and its
// result, on one thread at a time, in the order they finish.
void IngestFiles(const std::vector<std::string>& files, int jobs, capture::Capturer& capturer,
                 const extract::Extractor& extractor, store::Archive& archive,
                 const std::function<void(size_t, const IngestResult&)>& on_result,
                 const capture::PageProgress& progress = {},
                 const std::function<bool()>& stopped = {});

// Ingests `files` through the server that owns the archive (server_link.h): uploads each, then
// follows its job until it is stored, a duplicate or failed; `on_result` as for IngestFiles. Once
// `stopped` says so, it sends no more and stops following (the server reads what it was sent).
void IngestThroughServer(const std::vector<std::string>& files, const ServerLink& server,
                         const std::function<void(size_t, const IngestResult&)>& on_result,
                         const std::function<bool()>& stopped = {});

// Ingests `files` with --separate through the server that owns the archive: each file goes up
// whole (POST /api/documents/separated) and the server splits it, reads each page once and
// stores the documents before it answers; `on_file` gets each file's index in `files` and its
// documents' results in stack order (or its one failure). Once `stopped` says so, it sends no
// more files.
void IngestSeparatedThroughServer(
    const std::vector<std::string>& files, const capture::Separation& separation,
    const ServerLink& server,
    const std::function<void(size_t, const std::vector<IngestResult>&)>& on_file,
    const std::function<bool()>& stopped = {});

}  // namespace quire::app
