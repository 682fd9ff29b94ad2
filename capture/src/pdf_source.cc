// PDF through poppler-cpp. A page with a real text layer is taken as it is; any other page is
// rendered to grayscale at pdf_dpi for OCR.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>

#include "page_layout.h"
#include "page_source.h"

namespace quire::capture {
namespace {

// Fewer letters and digits than this is a stamp or a page number on a scan, not a text layer.
constexpr int kMinTextLayerChars = 20;

// Poppler reports every oddity of a damaged PDF on stderr; our callers get a Status instead.
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string Utf8(const poppler::ustring& text) {
  poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

int CountAlphanumerics(const std::vector<poppler::text_box>& boxes) {
  int count = 0;
  for (const poppler::text_box& box : boxes) {
    for (char c : Utf8(box.text())) count += std::isalnum(static_cast<unsigned char>(c)) != 0;
  }
  return count;
}

// The page size in pixels at `dpi`, as rendered: turned by the page's /Rotate.
cv::Size PageSize(const poppler::page& page, int dpi) {
  poppler::rectf rect = page.page_rect(poppler::crop_box);
  double width = rect.width() * dpi / 72.0;
  double height = rect.height() * dpi / 72.0;
  if (page.orientation() == poppler::page::landscape ||
      page.orientation() == poppler::page::seascape) {
    std::swap(width, height);
  }
  return cv::Size(static_cast<int>(std::lround(width)), static_cast<int>(std::lround(height)));
}

// Poppler gives word boxes in points from the top-left corner of the (rotated) page.
PageText ReadTextLayer(const std::vector<poppler::text_box>& boxes, cv::Size size, int dpi) {
  PageText page;
  page.width = size.width;
  page.height = size.height;
  page.dpi = dpi;
  page.source = TextSource::kTextLayer;
  double scale = dpi / 72.0;
  for (const poppler::text_box& box : boxes) {
    OcrWord word;
    word.text = Utf8(box.text());
    if (word.text.empty()) continue;
    poppler::rectf r = box.bbox();
    int left = static_cast<int>(std::floor(r.left() * scale));
    int top = static_cast<int>(std::floor(r.top() * scale));
    word.box = Box{left, top, static_cast<int>(std::ceil(r.right() * scale)) - left,
                   static_cast<int>(std::ceil(r.bottom() * scale)) - top};
    word.conf = 100;
    page.words.push_back(std::move(word));
  }
  AssignLinesByPosition(page.words);
  page.text = JoinWords(page.words);
  return page;
}

// Empty when Poppler cannot render the page.
cv::Mat Render(const poppler::page& page, int dpi) {
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  poppler::image image = renderer.render_page(&page, dpi, dpi);
  if (!image.is_valid()) return {};
  cv::Mat view(image.height(), image.width(), CV_8UC1, image.data(), image.bytes_per_row());
  return view.clone();
}

class PdfSource : public PageSource {
 public:
  PdfSource(std::unique_ptr<poppler::document> doc, const DecodeLimits& limits)
      : doc_(std::move(doc)), limits_(limits) {}

  int page_count() const override { return doc_->pages(); }

  Result<DecodedPage> Decode(int index) override {
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (page == nullptr) return DamagedPage(index);
    cv::Size size = PageSize(*page, limits_.pdf_dpi);
    DecodedPage decoded;
    std::vector<poppler::text_box> boxes = page->text_list();
    if (CountAlphanumerics(boxes) >= kMinTextLayerChars) {
      decoded.text = ReadTextLayer(boxes, size, limits_.pdf_dpi);
      if (!limits_.render_text_pages) return decoded;
    }
    if (int64_t{size.width} * size.height > limits_.max_pixels) {
      return TooManyPixels(size.width, size.height, limits_.max_pixels);
    }
    decoded.image.gray = Render(*page, limits_.pdf_dpi);
    if (decoded.image.gray.empty()) return DamagedPage(index);
    decoded.image.dpi = limits_.pdf_dpi;
    return decoded;
  }

 private:
  static Status DamagedPage(int index) {
    return Status::InvalidArgument("damaged PDF: page " + std::to_string(index + 1) +
                                   " cannot be rendered; re-export or repair the PDF");
  }

  std::unique_ptr<poppler::document> doc_;
  DecodeLimits limits_;
};

}  // namespace

Result<std::unique_ptr<PageSource>> OpenPdf(std::string_view bytes, const DecodeLimits& limits) {
  SilencePoppler();
  if (bytes.size() > size_t{INT32_MAX}) {
    return Status::InvalidArgument("the PDF is over 2 GB: split it into smaller files");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (doc == nullptr) {
    return Status::InvalidArgument(
        "damaged PDF: it cannot be opened (truncated, corrupt, or password protected); "
        "re-export it, or repair it (e.g. with qpdf)");
  }
  if (doc->is_locked()) {
    return Status::InvalidArgument(
        "the PDF is encrypted with a password: save a copy without the password and try again");
  }
  if (doc->pages() <= 0) {
    return Status::InvalidArgument("the PDF has no pages: export it again");
  }
  return std::unique_ptr<PageSource>(std::make_unique<PdfSource>(std::move(doc), limits));
}

}  // namespace quire::capture
