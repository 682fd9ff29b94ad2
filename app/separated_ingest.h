// `--separate` for files: a stack (a scanner's multi-page PDF or TIFF) is read whole, split into
// documents at separator sheets or every N pages (capture/separation.h), and each document is
// committed on its own, in its own atomic write, with the stack's pages it holds as its original
// (capture::CopyPages). A stack without separators is stored as it is, byte for byte.
//
// Splitting the same stack again gives the same originals, so a stack read twice (a rerun of
// `quire ingest`, or the hot folder redoing a file after a crash) stores each document once: the
// second time each is a duplicate.
#pragma once

#include <string>
#include <vector>

#include "ingest.h"
#include "quire/capture/separation.h"

namespace quire::app {

struct StackPart {
  std::string file_pages;  // the stack's pages it holds, 1-based: "1-3", "4", "5-6,9"
  Committed committed;
};

struct SeparatedStack {
  // Non-OK when the stack could not be read, or held separator sheets only.
  Status bad_file;
  // The documents in stack order, up to the first whose commit failed (its archive_error set).
  std::vector<StackPart> parts;
  int separator_pages = 0;
};

// What became of the document made of `file`'s pages `file_pages`, as `ingest --json` reports it.
IngestResult PartResult(const std::string& file, const std::string& file_pages,
                        const Committed& committed);

// "1-3", "5-6,9" for the 0-based page indices `pages`, in order.
std::string FormatFilePages(const std::vector<int>& pages);

// Captures the stack `bytes`, splits it and commits each document, with the source
// "SOURCE pages 1-3". Safe to call from several threads.
SeparatedStack CaptureSeparateAndCommit(const std::string& bytes, const std::string& source,
                                        const std::string& by, const std::vector<std::string>& tags,
                                        const capture::Separation& separation,
                                        capture::Capturer& capturer,
                                        const extract::Extractor& extractor,
                                        store::Archive& archive,
                                        const capture::PageProgress& progress = {});

// IngestFile with separation: one result per document of the stack (or one failure).
std::vector<IngestResult> IngestSeparatedFile(const std::string& file,
                                              const capture::Separation& separation,
                                              capture::Capturer& capturer,
                                              const extract::Extractor& extractor,
                                              store::Archive& archive,
                                              const capture::PageProgress& progress = {});

}  // namespace quire::app
