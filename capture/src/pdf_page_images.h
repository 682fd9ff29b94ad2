// The page images a searchable PDF shows: each page of an original as the file holds it, for a
// PDF to embed without losing anything (searchable_pdf.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "page_source.h"
#include "quire/capture/capture.h"
#include "quire/common/status.h"

namespace quire::capture {

struct PdfPageImage {
  // A JPEG file as it is (a PDF's DCTDecode stream), or the samples row by row, unfiltered.
  std::string data;
  bool jpeg = false;
  int width = 0;
  int height = 0;
  int components = 1;  // 1 grey, 3 RGB
  int bits = 8;        // 8, or 1 for a page of pure black (0) and white (1)
};

// Reads the page images of one original, one page at a time. Used from one thread at a time;
// `original` must outlive it.
class PdfPageImages {
 public:
  // InvalidArgument (or ResourceExhausted) as for capture when the original cannot be opened.
  static Result<PdfPageImages> Open(std::string_view original, const CaptureOptions& options);

  int page_count() const { return doc_.pages->page_count(); }
  // REQUIRES: 0 <= index < page_count()
  Result<PdfPageImage> Read(int index);

 private:
  PdfPageImages(std::string_view original, OpenedDocument doc)
      : original_(original), doc_(std::move(doc)) {}

  std::string_view original_;
  OpenedDocument doc_;
};

}  // namespace quire::capture
