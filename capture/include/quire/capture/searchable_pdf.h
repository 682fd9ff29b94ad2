// Searchable PDF/A-2b: a document as the user handed it, with an invisible text layer placed on
// every word quire read, so that a viewer's search and selection mark the word on the image.
//
// Each page is the original page image: a JPEG file is taken byte for byte, any other image is
// compressed losslessly (a page of pure black and white at one bit per pixel). A page of a PDF
// original that has a text layer of its own (PageText::source) is copied as it is, its vector
// content and text untouched; a scanned PDF page gets its scan as the file holds it, or else a
// rendering at CaptureOptions::pdf_dpi. The text is drawn in text rendering mode 3
// (invisible) with an embedded glyphless font, as Tesseract's PDF renderer does: one empty glyph
// for every character, a ToUnicode map from the character codes (UTF-16) back to the text, and
// each word stretched to its box. The file carries an sRGB output intent and XMP metadata with
// the PDF/A identification (part 2, conformance B), the title, the vendor, the dates and the
// document's fields. A copied page that shows text in a font the original does not embed cannot
// be PDF/A: the file is then written without the identification.
//
// Thread safety: WriteSearchablePdf may be called from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quire/capture/capture.h"
#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::capture {

// What the PDF says about the document (its XMP metadata and document information).
struct PdfDescription {
  std::string title;          // dc:title; a PDF/A file has one, so empty gives "Untitled"
  std::string author;         // dc:creator: the vendor when known; empty for none
  std::string document_type;  // "invoice", "receipt"...; empty for none
  std::string document_id;    // the archive's id; empty for a file not in an archive
  int64_t created = 0;        // Unix seconds: when the document was taken in
  int64_t modified = 0;       // Unix seconds: when this PDF was written
  // The extracted fields, (name, normalised value), in the order to list them.
  std::vector<std::pair<std::string, std::string>> fields;
};

// The searchable PDF of the document whose file is `original` and whose pages capture read as
// `pages`. InvalidArgument when the original cannot be decoded or has another number of pages
// than `pages`; Internal when the PDF library fails. `options` give the limits and the resolution
// of rendered PDF pages, as for capture.
Result<std::string> WriteSearchablePdf(std::string_view original,
                                       const std::vector<PageText>& pages,
                                       const PdfDescription& description,
                                       const CaptureOptions& options);

}  // namespace quire::capture
