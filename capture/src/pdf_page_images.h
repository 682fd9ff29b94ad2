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
  // The samples encoded by `filter` (a JPEG file as it is; a scanned PDF page's image as its
  // file holds it), or row by row, unfiltered, when `filter` is empty.
  std::string data;
  // PDF objects, as the PDF library writes them: "/DCTDecode", "[/FlateDecode]"; the filter's
  // parameters ("<< /K -1 /Columns 2550 >>") and the image's /Decode array, or empty.
  std::string filter;
  std::string decode_parms;
  std::string decode;
  int width = 0;
  int height = 0;
  int components = 1;  // 1 grey, 3 RGB
  int bits = 8;        // 8, or 1 for a page of pure black (0) and white (1), or as a PDF says
};

class ScannedPdfImages;

// Reads the page images of one original, one page at a time. Used from one thread at a time;
// `original` must outlive it.
class PdfPageImages {
 public:
  // InvalidArgument (or ResourceExhausted) as for capture when the original cannot be opened.
  static Result<PdfPageImages> Open(std::string_view original, const CaptureOptions& options);

  int page_count() const { return doc_.pages->page_count(); }
  // The page as the file holds it, which capture read as an image of `read_width` x
  // `read_height` pixels: a JPEG stored at another size (a photo its EXIF data turns) is given
  // as capture decoded it instead, so the words' boxes lie on it.
  // REQUIRES: 0 <= index < page_count()
  Result<PdfPageImage> Read(int index, int read_width, int read_height);

 private:
  PdfPageImages(std::string_view original, OpenedDocument doc,
                std::shared_ptr<ScannedPdfImages> scans)
      : original_(original), doc_(std::move(doc)), scans_(std::move(scans)) {}

  // The page as capture decoded it: grey, turned as an EXIF orientation says.
  Result<PdfPageImage> ReadDecoded(int index);

  std::string_view original_;
  OpenedDocument doc_;
  std::shared_ptr<ScannedPdfImages> scans_;  // for a PDF original
};

}  // namespace quire::capture
