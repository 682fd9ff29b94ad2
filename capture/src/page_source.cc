#include "page_source.h"

namespace quire::capture {
namespace {

bool StartsWith(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

// PDF readers accept junk before the header, as long as it is within the first kilobyte.
bool IsPdf(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

bool IsTiff(std::string_view bytes) {
  return StartsWith(bytes, std::string_view("II*\0", 4)) ||
         StartsWith(bytes, std::string_view("MM\0*", 4)) ||
         StartsWith(bytes, std::string_view("II+\0", 4)) ||  // BigTIFF
         StartsWith(bytes, std::string_view("MM\0+", 4));
}

}  // namespace

Status TooManyPixels(int64_t width, int64_t height, int64_t max_pixels) {
  return Status::ResourceExhausted(
      "the page is " + std::to_string(width) + " x " + std::to_string(height) + " pixels (" +
      std::to_string(width * height / 1'000'000) + " million), more than the limit of " +
      std::to_string(max_pixels / 1'000'000) +
      " million: scan it at a lower resolution (300 dpi is enough), or raise max_pixels");
}

namespace {

// "png", "jpeg", "tiff", "pdf", or empty when the bytes are none of these.
std::string SniffFormat(std::string_view bytes) {
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return "png";
  if (StartsWith(bytes, "\xff\xd8\xff")) return "jpeg";
  if (IsTiff(bytes)) return "tiff";
  if (IsPdf(bytes)) return "pdf";
  return "";
}

Result<std::unique_ptr<PageSource>> OpenFormat(std::string_view bytes, const std::string& format,
                                               const DecodeLimits& limits) {
  if (format == "tiff") return OpenTiff(bytes, limits);
  if (format == "pdf") return OpenPdf(bytes, limits);
  return OpenPngOrJpeg(bytes, format == "jpeg", limits);
}

}  // namespace

Result<OpenedDocument> OpenDocument(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) {
    return Status::InvalidArgument(
        "the file is empty (0 bytes): it may still be being written, or its copy failed");
  }
  OpenedDocument doc;
  doc.format = SniffFormat(bytes);
  if (doc.format.empty()) {
    return Status::InvalidArgument(
        "not a PNG, JPEG, TIFF or PDF file (whatever its name says): convert it to one of these");
  }
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<PageSource> pages, OpenFormat(bytes, doc.format, limits));
  if (pages->page_count() > limits.max_pages) {
    return Status::ResourceExhausted("the document has " + std::to_string(pages->page_count()) +
                                     " pages, more than the limit of " +
                                     std::to_string(limits.max_pages) +
                                     ": split it, or raise max_pages");
  }
  doc.pages = std::move(pages);
  return doc;
}

}  // namespace quire::capture
