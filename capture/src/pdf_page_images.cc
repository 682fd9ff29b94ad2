#include "pdf_page_images.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "image_codec.h"
#include "scanned_pdf_images.h"

namespace quire::capture {
namespace {

// A JPEG a PDF reader decodes as it is: 8-bit grey or colour. CMYK JPEGs (which need a CMYK
// output intent in PDF/A) and 12-bit ones are decoded and written losslessly instead.
bool PassesThrough(const JpegFrame& frame) {
  return frame.precision == 8 && (frame.components == 1 || frame.components == 3);
}

// True when every sample is 0 or 255: a bilevel scan, written at one bit per pixel.
bool IsBilevel(const cv::Mat& gray) {
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* row = gray.ptr<uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) {
      if (row[x] != 0 && row[x] != 255) return false;
    }
  }
  return true;
}

// Rows padded to whole bytes, most significant bit first, 1 for white (PDF DeviceGray, 1 bpc).
std::string PackBits(const cv::Mat& gray) {
  const int row_bytes = (gray.cols + 7) / 8;
  std::string packed(size_t(row_bytes) * gray.rows, '\0');
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* row = gray.ptr<uint8_t>(y);
    char* out = packed.data() + size_t(y) * row_bytes;
    for (int x = 0; x < gray.cols; ++x) {
      if (row[x]) out[x / 8] = static_cast<char>(out[x / 8] | (0x80 >> (x % 8)));
    }
  }
  return packed;
}

PdfPageImage FromGray(const cv::Mat& gray) {
  PdfPageImage image;
  image.width = gray.cols;
  image.height = gray.rows;
  if (IsBilevel(gray)) {
    image.bits = 1;
    image.data = PackBits(gray);
    return image;
  }
  cv::Mat continuous = gray.isContinuous() ? gray : gray.clone();
  image.data.assign(reinterpret_cast<const char*>(continuous.data), continuous.total());
  return image;
}

// A decoded page in colour (DecodeColour): an image whose colour channels are all equal is
// written as grey.
PdfPageImage FromColour(const cv::Mat& image) {
  if (image.channels() == 1) return FromGray(image);
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  if (cv::countNonZero(planes[0] != planes[1]) == 0 &&
      cv::countNonZero(planes[1] != planes[2]) == 0) {
    return FromGray(planes[0]);
  }
  const cv::Mat rgb = image.isContinuous() ? image : image.clone();
  PdfPageImage page;
  page.width = rgb.cols;
  page.height = rgb.rows;
  page.components = 3;
  page.data.assign(reinterpret_cast<const char*>(rgb.data), rgb.total() * 3);
  return page;
}

}  // namespace

Result<PdfPageImages> PdfPageImages::Open(std::string_view original,
                                          const CaptureOptions& options) {
  DecodeLimits limits{options.max_pixels, options.max_pages, options.pdf_dpi};
  limits.render_text_pages = true;
  QUIRE_ASSIGN_OR_RETURN(OpenedDocument doc, OpenDocument(original, limits));
  std::shared_ptr<ScannedPdfImages> scans =
      doc.format == "pdf" ? ScannedPdfImages::Open(original) : nullptr;
  return PdfPageImages(original, std::move(doc), std::move(scans));
}

Result<PdfPageImage> PdfPageImages::Read(int index, int read_width, int read_height) {
  if (doc_.format == "jpeg") {
    QUIRE_ASSIGN_OR_RETURN(JpegFrame frame, ReadJpegFrame(original_));
    if (frame.width != read_width || frame.height != read_height) return ReadDecoded(index);
    if (PassesThrough(frame)) {
      PdfPageImage image;
      image.data = std::string(original_);
      image.filter = "/DCTDecode";
      image.width = frame.width;
      image.height = frame.height;
      image.components = frame.components;
      return image;
    }
  }
  if (doc_.format == "jpeg" || doc_.format == "png") {
    // Decoded again in colour: the page source decodes grey, for OCR.
    QUIRE_ASSIGN_OR_RETURN(cv::Mat image, DecodeColour(original_));
    return FromColour(image);
  }
  if (doc_.format == "tiff") {
    // The page as capture decoded it first, for the limits; then again in colour.
    QUIRE_ASSIGN_OR_RETURN(DecodedPage page, doc_.pages->Decode(index));
    QUIRE_ASSIGN_OR_RETURN(cv::Mat image, DecodeColour(original_, index));
    return FromColour(image);
  }
  if (scans_ != nullptr) {
    if (std::optional<PdfPageImage> scan = scans_->Take(index)) return std::move(*scan);
  }
  // Rendered PDF pages, as capture decodes them.
  return ReadDecoded(index);
}

Result<PdfPageImage> PdfPageImages::ReadDecoded(int index) {
  QUIRE_ASSIGN_OR_RETURN(DecodedPage page, doc_.pages->Decode(index));
  return FromGray(page.image.gray);
}

}  // namespace quire::capture
