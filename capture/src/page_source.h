// Decoding: from a file's bytes to page images (or, for a PDF page with a real text layer, to its
// words). The format is recognised from the first bytes, never from the file name.
//
// Sizes are checked against the limits from the headers, before any pixel is decoded, so a small
// file that claims to be a huge image (a decompression bomb) is refused without allocating it.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "quire/common/page.h"
#include "quire/common/status.h"

namespace quire::capture {

// A page image as decoded: 8-bit grayscale, in the orientation the file stores it.
struct PageImage {
  cv::Mat gray;
  int dpi = 0;  // 0 when the file does not say
};

// One page of a document: an image to read, or a PDF page whose text layer was read already.
struct DecodedPage {
  PageImage image;               // empty when `text` is set
  std::optional<PageText> text;  // set for a PDF page with a real text layer
};

struct DecodeLimits {
  int64_t max_pixels = 0;
  int max_pages = 0;
  int pdf_dpi = 300;
  // Render a PDF page with a real text layer as well, for a viewer (OCR needs only its text).
  bool render_text_pages = false;
};

// The pages of one file, decoded one at a time so a long document never sits in memory whole.
// Used from one thread at a time.
class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int page_count() const = 0;
  // REQUIRES: 0 <= index < page_count()
  virtual Result<DecodedPage> Decode(int index) = 0;
};

struct OpenedDocument {
  std::string format;  // "png", "jpeg", "tiff", "pdf"
  std::unique_ptr<PageSource> pages;
};

// Recognises the format and checks what can be checked before decoding: the source keeps
// pointing into `bytes`, which must outlive it. InvalidArgument, with a message for the user,
// when the file is empty, of an unknown format, damaged or encrypted; ResourceExhausted when it
// is over the limits.
Result<OpenedDocument> OpenDocument(std::string_view bytes, const DecodeLimits& limits);

// The formats, for OpenDocument.
Result<std::unique_ptr<PageSource>> OpenPngOrJpeg(std::string_view bytes, bool jpeg,
                                                  const DecodeLimits& limits);
Result<std::unique_ptr<PageSource>> OpenTiff(std::string_view bytes, const DecodeLimits& limits);
Result<std::unique_ptr<PageSource>> OpenPdf(std::string_view bytes, const DecodeLimits& limits);

// A JPEG's frame header: what a PDF needs to take the file as it is.
struct JpegFrame {
  int width = 0;
  int height = 0;
  int components = 0;  // 1 grey, 3 colour (YCbCr or RGB), 4 CMYK
  int precision = 0;   // bits per sample: 8, or 12 for the rare extended JPEG
};

// InvalidArgument when the header cannot be read.
Result<JpegFrame> ReadJpegFrame(std::string_view bytes);

// The message for a page or image over the pixel limit; shared by all formats.
Status TooManyPixels(int64_t width, int64_t height, int64_t max_pixels);

}  // namespace quire::capture
