#include "quire/capture/page_image.h"

#include <opencv2/imgproc.hpp>
#include <optional>

#include "image_codec.h"
#include "page_source.h"

namespace quire::capture {
namespace {

// Good enough for reading a scan on screen at a third of PNG's size.
constexpr int kJpegQuality = 85;

// The image turned `rotation` degrees clockwise; nullopt for anything but 0, 90, 180 or 270.
std::optional<cv::Mat> Turned(const cv::Mat& image, int rotation) {
  if (rotation == 0) return image;
  int code = 0;
  switch (rotation) {
    case 90: code = cv::ROTATE_90_CLOCKWISE; break;
    case 180: code = cv::ROTATE_180; break;
    case 270: code = cv::ROTATE_90_COUNTERCLOCKWISE; break;
    default: return std::nullopt;
  }
  cv::Mat turned;
  cv::rotate(image, turned, code);
  return turned;
}

}  // namespace

Status CheckLimits(std::string_view bytes, const CaptureOptions& options) {
  Result<OpenedDocument> doc =
      OpenDocument(bytes, {options.max_pixels, options.max_pages, options.pdf_dpi});
  if (!doc.ok() && doc.status().code() == Status::Code::kResourceExhausted) return doc.status();
  return Status::Ok();
}

Result<PageImageFile> RenderPageImage(std::string_view original, int page, int width,
                                      const CaptureOptions& options, int rotation) {
  DecodeLimits limits{options.max_pixels, options.max_pages, options.pdf_dpi};
  limits.render_text_pages = true;
  QUIRE_ASSIGN_OR_RETURN(OpenedDocument doc, OpenDocument(original, limits));
  if (page < 0 || page >= doc.pages->page_count()) {
    return Status::NotFound("no page " + std::to_string(page + 1) + ": the document has " +
                            std::to_string(doc.pages->page_count()));
  }
  QUIRE_ASSIGN_OR_RETURN(DecodedPage decoded, doc.pages->Decode(page));
  std::optional<cv::Mat> turned = Turned(decoded.image.gray, rotation);
  if (!turned) {
    return Status::InvalidArgument("a page turns by 0, 90, 180 or 270 degrees, not " +
                                   std::to_string(rotation));
  }
  cv::Mat image = *turned;
  if (width > 0 && width < image.cols) {
    const int height = std::max(1, image.rows * width / image.cols);
    cv::Mat scaled;
    cv::resize(image, scaled, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    image = scaled;
  }
  QUIRE_ASSIGN_OR_RETURN(std::string encoded, EncodeJpeg(image, kJpegQuality));
  return PageImageFile{std::move(encoded), "image/jpeg", image.cols, image.rows};
}

}  // namespace quire::capture
