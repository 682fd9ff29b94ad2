// The `quire` commands. Each returns the process exit code (cli.h) and prints its results on
// stdout (as JSON with GlobalOptions::json) and its messages on stderr.
#pragma once

#include <string>
#include <vector>

#include "cli.h"
#include "document_edits.h"
#include "quire/capture/capture.h"
#include "quire/capture/separation.h"
#include "quire/extract/extract.h"

namespace quire::app {

// Capture and extraction settings shared by ingest, ocr, extract and eval.
struct PipelineOptions {
  capture::CaptureOptions capture;
  extract::ExtractOptions extract;
  // redis://HOST:PORT: pages are read by `quire worker` processes through this broker
  // (broker_pages.h). Default: empty (read here).
  std::string broker;
};

// With a `separation` other than kNone, each file is a stack split into documents
// (separated_ingest.h).
int RunIngest(const GlobalOptions& global, const PipelineOptions& pipeline,
              const std::vector<std::string>& paths, const capture::Separation& separation);
// With `pdf` not empty, also writes the file's searchable PDF/A there (document_pdf.h).
int RunOcr(const GlobalOptions& global, const PipelineOptions& pipeline, const std::string& file,
           const std::string& pdf);
// Extracts from `pages_file` (the output of `quire ocr --json`) when it is not empty, without
// reading an image; else captures `file`.
int RunExtract(const GlobalOptions& global, const PipelineOptions& pipeline,
               const std::string& file, const std::string& pages_file);

// The pages of a `quire ocr --json` output file; InvalidArgument, saying what to give instead,
// when it is not one.
Result<std::vector<PageText>> ReadPagesFile(const std::string& path);

// Scores capture (CER, WER, order-free word recall, time per page) or extraction (precision,
// recall, F1 per field) against NAME.truth.json beside each document in `dir`.
int RunEvalOcr(const GlobalOptions& global, const PipelineOptions& pipeline, const std::string& dir,
               bool fold);
int RunEvalFields(const GlobalOptions& global, const PipelineOptions& pipeline,
                  const std::string& dir);

int RunList(const GlobalOptions& global, const store::ListQuery& page);
int RunShow(const GlobalOptions& global, uint64_t id);
int RunSearch(const GlobalOptions& global, const std::string& query, int limit, int offset,
              const std::string& sort);
int RunReview(const GlobalOptions& global);
int RunCorrect(const GlobalOptions& global, const extract::ExtractOptions& options, uint64_t id,
               const FieldCorrection& correction);
// Extracts the documents `ids` (every document when empty) again from their stored pages and
// originals, `jobs` at once (0: one per core), keeping the fields a person set; audits and
// re-indexes each changed document.
int RunReextract(const GlobalOptions& global, const extract::ExtractOptions& options,
                 std::vector<uint64_t> ids, int jobs);
// format: original, text, json or pdf; `out` empty for stdout. `capture` gives the limits and
// the resolution of a PDF original's pages for the searchable PDF.
int RunExport(const GlobalOptions& global, const capture::CaptureOptions& capture, uint64_t id,
              const std::string& format, const std::string& out);
// Every document ingested since `since` (YYYY-MM-DD; empty: all) into the new folder `dir`: the
// originals, with `pdf` their searchable PDFs, and manifest.json (archive_transfer.cc).
int RunExportAll(const GlobalOptions& global, const capture::CaptureOptions& capture,
                 const std::string& dir, const std::string& since, bool pdf);
// Reads a folder written by RunExportAll into the archive, skipping documents already there.
int RunImport(const GlobalOptions& global, const std::string& dir);
// Adds and removes the document's tags (edit.tags_add, tags_remove), audited as the user's.
int RunTag(const GlobalOptions& global, uint64_t id, LabelEdit edit);
// Sets the document's title and notes where `edit` has them, and adds and removes its tags,
// audited as the user's; prints what the document then has.
int RunEdit(const GlobalOptions& global, uint64_t id, LabelEdit edit);
// Deletes the document; its audit log stays.
int RunDelete(const GlobalOptions& global, uint64_t id);
int RunVerify(const GlobalOptions& global);
int RunBackup(const GlobalOptions& global, const std::string& dest);
int RunStats(const GlobalOptions& global);

// The people who may use the archive through `quire serve` (users.h). `role`: viewer, operator
// or admin; the password is read from stdin with `password_stdin`, else asked twice on the
// terminal.
int RunUserAdd(const GlobalOptions& global, const std::string& name, const std::string& role,
               bool password_stdin);
int RunUserList(const GlobalOptions& global);
int RunUserRemove(const GlobalOptions& global, const std::string& name);

}  // namespace quire::app
