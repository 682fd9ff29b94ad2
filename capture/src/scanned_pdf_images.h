// The images of a scanned PDF's pages, taken as the file holds them: a searchable PDF made from a
// scanned PDF shows each page's scan as the scanner encoded it (a JPEG stays that JPEG, a fax
// page its CCITT data), rather than a rendering of it.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "pdf_page_images.h"

namespace quire::capture {

class ScannedPdfImages {
 public:
  // nullptr when the PDF library cannot read the file; its pages are then rendered.
  // REQUIRES: `pdf` outlives the object.
  static std::shared_ptr<ScannedPdfImages> Open(std::string_view pdf);
  ~ScannedPdfImages();

  // The image of page `index` when the page is one image over all of it, in a form a PDF/A file
  // may hold (grey or RGB, a filter PDF/A allows, no mask); nullopt for any other page.
  std::optional<PdfPageImage> Take(int index);

 private:
  struct Document;
  explicit ScannedPdfImages(std::unique_ptr<Document> doc);
  std::unique_ptr<Document> doc_;
};

}  // namespace quire::capture
